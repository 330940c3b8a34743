import Attestation
import Foundation

/// The real Intel quotes and collateral in the project's `fixtures/dcap/` (see its README for provenance).
enum DCAPFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures/dcap")

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    static func collateral(_ name: String) throws -> QuoteCollateral {
        try QuoteCollateral(json: bytes(name))
    }

    static func date(_ text: String) throws -> Date {
        try Date(text, strategy: .iso8601)
    }

    /// Inside both collaterals' validity windows (README: verified at 2025-06-25T00:00:00Z).
    static var insideWindow: Date { get throws { try date("2025-06-25T00:00:00Z") } }
    /// After the TCB info's nextUpdate (2025-07-19).
    static var afterExpiry: Date { get throws { try date("2025-08-25T00:00:00Z") } }
}

extension Array where Element == UInt8 {
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}
