import Crypto
import Ethereum

/// The random 32-byte key of one envelope. Everything secret about the envelope derives from it:
/// the payload key and the output commitment salt, each with its own HKDF-SHA256 label.
struct DataKey: Sendable {
    static let size = 32

    let key: SymmetricKey

    /// A fresh key from the system CSPRNG.
    init() {
        key = SymmetricKey(size: .bits256)
    }

    /// The key with these bytes; `nil` unless there are exactly 32.
    init?(bytes: [UInt8]) {
        guard bytes.count == Self.size else { return nil }
        key = SymmetricKey(data: bytes)
    }

    /// The key commitment `C = keccak256("cloister/v2/envelope/key" ‖ D)` every recipient checks after
    /// unwrapping, and the contract checks in `proveWrap`.
    func keyCommitment() -> Bytes32 {
        var hasher = Keccak256()
        hasher.update(DomainLabel.envelopeKey)
        key.withUnsafeBytes { hasher.update($0) }
        return hasher.finalize()
    }

    /// The AES-256-GCM key of the payload (its nonce travels in the envelope).
    func payloadKey() -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: key, info: DomainLabel.envelopePayload, outputByteCount: 32)
    }

    /// The salt of the output commitment: every recipient derives the same one, observers cannot.
    func commitmentSalt() -> CommitmentSalt {
        let derived = HKDF<SHA256>.deriveKey(inputKeyMaterial: key, info: DomainLabel.commitmentSalt, outputByteCount: 32)
        return derived.withUnsafeBytes { CommitmentSalt(unchecked: Array($0)) }
    }

    /// A copy of the 32 bytes for wrapping; the caller wipes it.
    func copyBytes() -> [UInt8] {
        key.withUnsafeBytes { Array($0) }
    }
}
