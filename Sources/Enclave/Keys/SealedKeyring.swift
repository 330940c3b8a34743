import Crypto
import Secp256k1

/// The keys an enclave holds: the current key, which signs new work, and retiring keys, which only
/// finish work already addressed to them.
struct KeyringState: Sendable {
    var current: PrivateKey
    var retiring: [PrivateKey]
}

/// The on-disk form of ``KeyringState``: AES-256-GCM under the TEE sealing key.
///
/// Layout: `"CLKR"` ‖ version (1) ‖ nonce (12) ‖ ciphertext ‖ tag (16), with magic and version as
/// associated data. The plaintext is a count (1) and per key a role (1: current, 2: retiring) and
/// the 32-byte secret; exactly one key is current.
enum SealedKeyring {
    static let magic: [UInt8] = Array("CLKR".utf8)
    static let version: UInt8 = 1
    static let maxKeys = 16
    private static let currentRole: UInt8 = 1
    private static let retiringRole: UInt8 = 2

    static func seal(_ state: KeyringState, with key: SymmetricKey) throws(KeyringError) -> [UInt8] {
        let keys = [(currentRole, state.current)] + state.retiring.map { (retiringRole, $0) }
        var plaintext: [UInt8] = [UInt8(keys.count)]
        plaintext.reserveCapacity(1 + keys.count * 33)
        for (role, secret) in keys {
            plaintext.append(role)
            secret.withUnsafeBytes { plaintext += $0 }
        }
        defer { plaintext.wipe() }
        let header = magic + [version]
        do {
            let box = try AES.GCM.seal(plaintext, using: key, authenticating: header)
            return header + Array(box.nonce) + Array(box.ciphertext) + Array(box.tag)
        } catch {
            throw .cryptoFailure
        }
    }

    static func unseal(_ bytes: [UInt8], with key: SymmetricKey, path: String) throws(KeyringError) -> KeyringState {
        let malformed = KeyringError.malformedKeyring(path: path)
        var cursor = ByteCursor(bytes)
        let header = try cursor.take(5, orThrow: malformed)
        guard header == magic + [version], cursor.remaining >= 12 + 16 else { throw malformed }
        let nonce = try cursor.take(12, orThrow: malformed)
        let ciphertext = try cursor.take(cursor.remaining - 16, orThrow: malformed)
        let tag = try cursor.take(16, orThrow: malformed)
        var plaintext: [UInt8]
        do {
            let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: nonce), ciphertext: ciphertext, tag: tag)
            plaintext = Array(try AES.GCM.open(box, using: key, authenticating: header))
        } catch {
            throw .unsealFailed(path: path)
        }
        defer { plaintext.wipe() }
        return try decode(plaintext, orThrow: malformed)
    }

    private static func decode(_ plaintext: [UInt8], orThrow malformed: KeyringError) throws(KeyringError) -> KeyringState {
        var cursor = ByteCursor(plaintext)
        let count = Int(try cursor.take(1, orThrow: malformed)[0])
        guard count >= 1, count <= maxKeys, cursor.remaining == count * 33 else { throw malformed }
        var current: PrivateKey?
        var retiring: [PrivateKey] = []
        for _ in 0..<count {
            let role = try cursor.take(1, orThrow: malformed)[0]
            var secret = try cursor.take(32, orThrow: malformed)
            defer { secret.wipe() }
            guard let key = try? PrivateKey(bytes: secret) else { throw malformed }
            switch role {
            case currentRole where current == nil: current = key
            case retiringRole: retiring.append(key)
            default: throw malformed
            }
        }
        guard let current else { throw malformed }
        return KeyringState(current: current, retiring: retiring)
    }
}
