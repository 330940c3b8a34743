import Ethereum
import Foundation

/// Hex text in collateral JSON (`"fmspc": "B0C06F000000"`), decoded to bytes.
struct HexField: Codable, Sendable, Equatable {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Hex.encode(bytes, prefix: false).uppercased())
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let bytes = try? Hex.decode(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not hex: \(text.prefix(80))")
        }
        self.bytes = bytes
    }
}

/// An RFC 3339 UTC timestamp in collateral JSON (`"2025-06-19T10:16:03Z"`).
struct TimestampField: Codable, Sendable, Equatable {
    let date: Date

    init(_ date: Date) { self.date = date }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(date.ISO8601Format())
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = try? Date(text, strategy: .iso8601) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a timestamp: \(text.prefix(40))")
        }
        self.date = date
    }
}

/// A TCB level of an enclave identity (QE identity or TDX module identity): an ISV SVN and its status.
struct ISVSVNLevel: Codable, Sendable, Equatable {
    struct TCB: Codable, Sendable, Equatable { let isvsvn: UInt16 }

    let tcb: TCB
    let tcbDate: TimestampField?
    let tcbStatus: TCBStatus
    let advisoryIDs: [String]?
}

/// Decodes signed collateral JSON into `T`, mapping any failure to a typed verification error.
func decodeCollateralJSON<T: Decodable>(_ type: T.Type, _ text: String, item: CollateralItem) throws(DCAPVerificationError) -> T {
    do {
        return try JSONDecoder().decode(T.self, from: Data(text.utf8))
    } catch {
        throw .collateralMalformed("\(item.rawValue): \(error)")
    }
}
