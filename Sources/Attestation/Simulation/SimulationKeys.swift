import Crypto
import Foundation

/// Derives the simulated PKI's keys and serial numbers from a seed (HKDF-SHA256, one label per use),
/// so the same seed always gives the same root, CAs, PCK and attestation keys.
struct SimulationKeys: Sendable {
    private let seed: SymmetricKey

    init(seed: [UInt8]) {
        self.seed = SymmetricKey(data: seed)
    }

    func bytes(_ label: String, count: Int) -> [UInt8] {
        let key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: seed, salt: Array("cloister-simulated-tdx".utf8),
            info: Array(label.utf8), outputByteCount: count)
        return key.withUnsafeBytes { Array($0) }
    }

    /// A P-256 key for `label`; the rare scalar outside the curve order moves on to the next counter.
    func signingKey(_ label: String) -> P256.Signing.PrivateKey {
        var counter = 0
        while true {
            if let key = try? P256.Signing.PrivateKey(rawRepresentation: bytes("\(label)#\(counter)", count: 32)) {
                return key
            }
            counter += 1
        }
    }

    /// A positive 16-byte certificate serial number for `label`.
    func serialNumber(_ label: String) -> [UInt8] {
        var serial = bytes("serial:\(label)", count: 16)
        serial[0] = (serial[0] & 0x7f) | 0x01
        return serial
    }
}
