import Secp256k1

/// Why raw transaction bytes were rejected, or signing or sender recovery failed.
public enum TransactionError: Error, Equatable, Sendable {
    /// No bytes at all.
    case empty
    /// An EIP-2718 type this library does not read (only legacy and type 2 are supported).
    case unsupportedType(UInt8)
    /// The bytes are not canonical RLP, or a field has the wrong shape or width.
    case malformed(RLPError)
    /// A legacy `v` that is neither 27/28 nor `chainId * 2 + 35/36`.
    case invalidV
    /// A type-2 `yParity` other than 0 or 1.
    case invalidYParity
    /// `r` or `s` is zero or not below the curve order.
    case signatureOutOfRange
    /// `s` is in the upper half of the curve order, which Ethereum has rejected since Homestead.
    case highS
    /// The EIP-155 chain id in `v` does not fit in 64 bits.
    case chainIdTooLarge
    /// No public key recovers from the signature.
    case recoveryFailed
    /// The private key could not sign.
    case signingFailed(Secp256k1Error)
}
