extension MessageSignatureError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .wrongLength(let count): "a signature is 65 bytes, not \(count)"
        case .invalidV(let v): "signature v must be 27 or 28 (or 0/1), not \(v)"
        case .recoveryFailed: "no signer recovers from this signature"
        case .signingFailed: "signing failed"
        }
    }
}
