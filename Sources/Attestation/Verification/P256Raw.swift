import Crypto

/// ECDSA P-256 in the raw forms quotes and collateral use: public keys as x ‖ y (64 bytes) and
/// signatures as r ‖ s (64 bytes), always over SHA-256.
enum P256Raw {
    static func publicKey(_ xy: [UInt8]) -> P256.Signing.PublicKey? {
        try? P256.Signing.PublicKey(rawRepresentation: xy)
    }

    /// True when `rs` is a valid signature by `key` over SHA-256(`message`).
    static func isValid(signature rs: [UInt8], of message: [UInt8], by key: P256.Signing.PublicKey) -> Bool {
        guard let signature = try? P256.Signing.ECDSASignature(rawRepresentation: rs) else { return false }
        return key.isValidSignature(signature, for: message)
    }
}
