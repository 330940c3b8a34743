/// Why a secp256k1 operation failed. No case carries key material.
public enum Secp256k1Error: Error, Equatable, Sendable {
    /// Not a scalar in [1, n-1], or not 32 bytes.
    case invalidPrivateKey
    /// Not a valid 33- or 65-byte encoding of a curve point.
    case invalidPublicKey
    /// r or s out of range, not 64 bytes, or a recovery id other than 0 or 1.
    case invalidSignature
    /// A message digest must be exactly 32 bytes.
    case invalidDigestLength(Int)
    /// No public key recovers from this signature and digest.
    case recoveryFailed
}
