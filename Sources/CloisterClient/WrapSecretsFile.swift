import Enclave
import Ethereum
import Foundation
import Secp256k1
#if canImport(Glibc)
import Glibc
#endif

/// The per-recipient wrap secrets `e_i` of one confidential request, kept by the requester only when
/// asked (`cloister request --encrypt --save-wrap-secrets PATH`).
///
/// They let the requester prove on chain (`Arbiter.proveWrap`) that a node's wrap was good when that
/// node answered status 3 ("decryption failed"); anyone holding them can also decrypt the input.
/// Written as JSON with mode 0600:
/// `{"requestId": "0x…", "recipients": [{"index": 0, "node": "7", "publicKey": "0x<x‖y>", "ephemeralSecret": "0x…"}]}`.
public struct WrapSecretsFile: Sendable {
    public struct Entry: Sendable {
        /// The entry's position in the envelope (`proveWrap`'s `index`).
        public let index: Int
        /// The recipient node's id.
        public let node: UInt256
        /// The recipient enclave's public key `P_i`.
        public let publicKey: PublicKey
        /// `e_i`, 32 bytes.
        let ephemeralSecret: [UInt8]

        /// `e_i` as `proveWrap`'s `ephemeralSecret` (uint256).
        public var ephemeralSecretWord: UInt256 { UInt256(bigEndian: ephemeralSecret) ?? .zero }
    }

    public let requestID: Bytes32
    public let entries: [Entry]

    init(requestID: Bytes32, nodes: [UInt256], secrets: [WrapSecret]) {
        self.requestID = requestID
        entries = zip(nodes, secrets).map { node, secret in
            Entry(index: secret.index, node: node, publicKey: secret.recipientKey, ephemeralSecret: secret.revealedBytes())
        }
    }

    /// The entry of `node`, if it was a recipient.
    public func entry(for node: UInt256) -> Entry? {
        entries.first { $0.node == node }
    }

    var jsonObject: [String: Any] {
        ["requestId": requestID.hex,
         "note": "lets you prove on chain that a node's wrap was good; anyone holding it can decrypt your input",
         "recipients": entries.map { entry in
             ["index": entry.index, "node": "\(entry.node)", "publicKey": Hex.encode(Array(entry.publicKey.uncompressed.dropFirst())),
              "ephemeralSecret": Hex.encode(entry.ephemeralSecret)] as [String: Any]
         }]
    }

    /// Writes the file at `path`, which must not exist yet, readable by the owner only (0600).
    public func write(to path: String) throws {
        var data = Array(try JSONSerialization.data(withJSONObject: jsonObject, options: [.sortedKeys, .prettyPrinted])) + [0x0A]
        defer { data.withUnsafeMutableBytes { if let base = $0.baseAddress { explicit_bzero(base, $0.count) } } }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw WrapSecretsFileError.cannotCreate(path, errno: errno) }
        defer { close(descriptor) }
        var written = 0
        while written < data.count {
            let result = data[written...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            guard result > 0 else { throw WrapSecretsFileError.cannotCreate(path, errno: errno) }
            written += result
        }
        guard fsync(descriptor) == 0 else { throw WrapSecretsFileError.cannotCreate(path, errno: errno) }
    }

    /// Reads a file written by ``write(to:)``.
    public static func load(path: String) throws -> WrapSecretsFile {
        guard let data = FileManager.default.contents(atPath: path),
              let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let id = object["requestId"] as? String, let requestID = try? Bytes32(hex: id),
              let recipients = object["recipients"] as? [[String: Any]]
        else { throw WrapSecretsFileError.malformed(path) }
        var entries: [Entry] = []
        for recipient in recipients {
            guard let index = recipient["index"] as? Int, let nodeText = recipient["node"] as? String,
                  let node = try? UInt256(parsing: nodeText),
                  let keyHex = recipient["publicKey"] as? String, let keyBytes = try? Hex.decode(keyHex),
                  let key = try? PublicKey(bytes: [0x04] + keyBytes),
                  let secretHex = recipient["ephemeralSecret"] as? String, let secret = try? Hex.decode(secretHex), secret.count == 32
            else { throw WrapSecretsFileError.malformed(path) }
            entries.append(Entry(index: index, node: node, publicKey: key, ephemeralSecret: secret))
        }
        return WrapSecretsFile(requestID: requestID, entries: entries)
    }

    private init(requestID: Bytes32, entries: [Entry]) {
        self.requestID = requestID
        self.entries = entries
    }
}

extension WrapSecretsFile: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "WrapSecretsFile(\(requestID), \(entries.count) recipients, redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: []) }
}

extension WrapSecretsFile.Entry: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "WrapSecretsFile.Entry(#\(index), node \(node), redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: []) }
}


/// Why a wrap secrets file could not be written or read.
public enum WrapSecretsFileError: Error, CustomStringConvertible {
    case cannotCreate(String, errno: Int32)
    case malformed(String)

    public var description: String {
        switch self {
        case let .cannotCreate(path, code): "cannot create \(path) (it must not exist yet): \(String(cString: strerror(code)))"
        case .malformed(let path): "\(path) is not a wrap secrets file"
        }
    }
}
