extension TransactionError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .empty: "no transaction bytes"
        case .unsupportedType(let type): "unsupported transaction type 0x\(String(type, radix: 16))"
        case .malformed(let reason): "malformed transaction: \(reason)"
        case .invalidV: "invalid v (neither 27/28 nor an EIP-155 value)"
        case .invalidYParity: "invalid yParity (must be 0 or 1)"
        case .signatureOutOfRange: "signature r or s out of range"
        case .highS: "signature s in the upper half of the curve order"
        case .chainIdTooLarge: "chain id does not fit in 64 bits"
        case .recoveryFailed: "no public key recovers from the signature"
        case .signingFailed(let reason): "signing failed: \(reason)"
        }
    }
}
