internal import CSecp256k1

/// An ECDSA signature with the recovery id that names which of the candidate public keys signed.
public struct RecoverableSignature: Hashable, Sendable {
    /// The 32-byte big-endian r.
    public let r: [UInt8]
    /// The 32-byte big-endian s, always in the lower half of the group order.
    public let s: [UInt8]
    /// 0 or 1: the parity of the point R's y coordinate.
    public let recoveryID: UInt8

    /// A signature from its parts; r and s must be 32 bytes each and `recoveryID` 0 or 1.
    public init(r: some Collection<UInt8>, s: some Collection<UInt8>, recoveryID: UInt8) throws(Secp256k1Error) {
        guard r.count == 32, s.count == 32, recoveryID <= 1 else { throw .invalidSignature }
        self.r = Array(r)
        self.s = Array(s)
        self.recoveryID = recoveryID
    }

    /// `r ‖ s`.
    public var compact: [UInt8] { r + s }

    /// The public key that made this signature over `digest`.
    public func recover(digest: some Collection<UInt8>) throws(Secp256k1Error) -> PublicKey {
        let message = Array(digest)
        guard message.count == 32 else { throw .invalidDigestLength(message.count) }
        var parsed = secp256k1_ecdsa_recoverable_signature()
        guard secp256k1_ecdsa_recoverable_signature_parse_compact(Context.shared.pointer, &parsed, compact, Int32(recoveryID)) == 1 else {
            throw .invalidSignature
        }
        var point = secp256k1_pubkey()
        guard secp256k1_ecdsa_recover(Context.shared.pointer, &point, &parsed, message) == 1 else {
            throw .recoveryFailed
        }
        return PublicKey(point: point)
    }
}

extension PrivateKey {
    /// Signs a 32-byte digest with an RFC 6979 deterministic nonce. libsecp256k1 always yields low-s.
    public func signRecoverable(digest: some Collection<UInt8>) throws(Secp256k1Error) -> RecoverableSignature {
        let message = Array(digest)
        guard message.count == 32 else { throw .invalidDigestLength(message.count) }
        var signature = secp256k1_ecdsa_recoverable_signature()
        guard secp256k1_ecdsa_sign_recoverable(Context.shared.pointer, &signature, message, scalar, nil, nil) == 1 else {
            throw .invalidPrivateKey
        }
        var compact = [UInt8](repeating: 0, count: 64)
        var recoveryID: Int32 = 0
        _ = secp256k1_ecdsa_recoverable_signature_serialize_compact(Context.shared.pointer, &compact, &recoveryID, &signature)
        return try RecoverableSignature(r: compact[0..<32], s: compact[32..<64], recoveryID: UInt8(recoveryID))
    }
}
