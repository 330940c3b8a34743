import Attestation
import Foundation

/// File, time and output helpers shared by the `attest` subcommands.
enum AttestFiles {
    static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw CommandError("cannot read \(path)") }
        return Array(data)
    }

    /// RFC 3339 or Unix seconds.
    static func time(_ text: String) throws -> Date {
        if let seconds = Int64(text) { return Date(timeIntervalSince1970: TimeInterval(seconds)) }
        guard let date = try? Date(text, strategy: .iso8601) else {
            throw CommandError("--at: not an RFC 3339 time or Unix seconds: \(text)")
        }
        return date
    }

    static func nonProductionAnchor(_ path: String) throws -> TrustAnchor {
        let anchor: TrustAnchor
        do { anchor = try .nonProduction(pemEncoded: String(decoding: try read(path), as: UTF8.self)) } catch {
            throw CommandError("--trust-anchor: \(error)")
        }
        FileHandle.standardError.write(Data("WARNING: trusting \(anchor.subject), not Intel's root: the verdict proves nothing\n".utf8))
        return anchor
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
