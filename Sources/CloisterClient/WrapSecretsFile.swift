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
/// node answered status 3 ("decryption failed"); anyone holding them could also decrypt the input, so they
/// never reach the disk in the clear: they are sealed to the requester's own wallet key, which it needs
/// anyway to send `proveWrap`. With `d` that key and `Q = d·G` its public key,
/// `fileKey = keccak256("cloister/v2/wrap-secrets" ‖ ECDH(d, Q) ‖ requestId)` (only the holder of `d`
/// can compute `ECDH(d, Q)`), entry `j`'s secret is stored as `e_j XOR keccak256(fileKey ‖ uint32 j)`, and
/// `mac = keccak256(fileKey ‖ "mac" ‖ e_0 ‖ … ‖ e_n)` tells another key or an altered file apart.
/// Written as JSON with mode 0600:
/// `{"requestId": "0x…", "requester": "0x…", "mac": "0x…", "recipients": [{"index": 0, "node": "7",
/// "publicKey": "0x<x‖y>", "sealedSecret": "0x…"}]}`.
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

    /// The key the secrets are sealed under (see the type's documentation); wipe it after use.
    static func fileKey(requestID: Bytes32, owner: PrivateKey) throws -> [UInt8] {
        var shared = try owner.sharedSecret(with: owner.publicKey)
        defer { shared.withUnsafeMutableBytes { if let base = $0.baseAddress { explicit_bzero(base, $0.count) } } }
        return Keccak256.hash(Array("cloister/v2/wrap-secrets".utf8) + shared + requestID.bytes).bytes
    }

    static func pad(_ fileKey: [UInt8], _ position: Int) -> [UInt8] {
        Keccak256.hash(fileKey + withUnsafeBytes(of: UInt32(position).bigEndian, Array.init)).bytes
    }

    static func mac(_ fileKey: [UInt8], _ secrets: [[UInt8]]) -> Bytes32 {
        Keccak256.hash(fileKey + Array("mac".utf8) + secrets.joined())
    }

    func jsonObject(sealedWith owner: PrivateKey) throws -> [String: Any] {
        var key = try Self.fileKey(requestID: requestID, owner: owner)
        defer { key.withUnsafeMutableBytes { if let base = $0.baseAddress { explicit_bzero(base, $0.count) } } }
        return [
            "requestId": requestID.hex, "requester": Address(publicKey: owner.publicKey).description,
            "note": "lets you prove on chain that a node's wrap was good; sealed to the requester's wallet key, which opens it",
            "mac": Self.mac(key, entries.map(\.ephemeralSecret)).hex,
            "recipients": entries.enumerated().map { position, entry in
                [
                    "index": entry.index, "node": "\(entry.node)", "publicKey": Hex.encode(Array(entry.publicKey.uncompressed.dropFirst())),
                    "sealedSecret": Hex.encode(zip(entry.ephemeralSecret, Self.pad(key, position)).map { $0 ^ $1 })
                ] as [String: Any]
            }
        ]
    }

    /// Writes the file at `path`, which must not exist yet, readable by the owner only (0600), the
    /// secrets sealed to `owner` (the requester's wallet key).
    public func write(to path: String, sealedWith owner: PrivateKey) throws {
        var data = Array(try JSONSerialization.data(withJSONObject: try jsonObject(sealedWith: owner), options: [.sortedKeys, .prettyPrinted])) + [0x0A]
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

    /// Reads a file written by ``write(to:sealedWith:)``, opening the secrets with `owner`.
    public static func load(path: String, openingWith owner: PrivateKey) throws -> WrapSecretsFile {
        guard let data = FileManager.default.contents(atPath: path),
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let id = object["requestId"] as? String, let requestID = try? Bytes32(hex: id),
            let macHex = object["mac"] as? String, let mac = try? Bytes32(hex: macHex),
            let recipients = object["recipients"] as? [[String: Any]]
        else { throw WrapSecretsFileError.malformed(path) }
        var key = try fileKey(requestID: requestID, owner: owner)
        defer { key.withUnsafeMutableBytes { if let base = $0.baseAddress { explicit_bzero(base, $0.count) } } }
        var entries: [Entry] = []
        for (position, recipient) in recipients.enumerated() {
            guard let index = recipient["index"] as? Int, let nodeText = recipient["node"] as? String,
                let node = try? UInt256(parsing: nodeText),
                let keyHex = recipient["publicKey"] as? String, let keyBytes = try? Hex.decode(keyHex),
                let publicKey = try? PublicKey(bytes: [0x04] + keyBytes),
                let sealedHex = recipient["sealedSecret"] as? String, let sealed = try? Hex.decode(sealedHex), sealed.count == 32
            else { throw WrapSecretsFileError.malformed(path) }
            entries.append(
                Entry(
                    index: index, node: node, publicKey: publicKey,
                    ephemeralSecret: zip(sealed, pad(key, position)).map { $0 ^ $1 }))
        }
        guard Self.mac(key, entries.map(\.ephemeralSecret)) == mac else {
            throw WrapSecretsFileError.notYours(path, requester: object["requester"] as? String ?? "another key")
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
    case notYours(String, requester: String)

    public var description: String {
        switch self {
        case let .cannotCreate(path, code): "cannot create \(path) (it must not exist yet): \(String(cString: strerror(code)))"
        case .malformed(let path): "\(path) is not a wrap secrets file"
        case let .notYours(path, requester):
            "\(path) was sealed to \(requester)'s wallet key (or altered): use that wallet's keystore"
        }
    }
}
