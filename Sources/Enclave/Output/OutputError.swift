/// Why an encrypted output could not be built, parsed or opened. No case carries plaintext or keys.
public enum OutputError: Error, Equatable, Sendable {
    case outputTooLarge(size: Int, limit: Int)
    case truncated(expected: Int, actual: Int)
    case badMagic
    case unsupportedVersion(UInt8)
    /// The ephemeral key is not a valid compressed secp256k1 point.
    case invalidEphemeralKey
    /// The output answers another chain, contract or request than expected.
    case contextMismatch
    /// Not encrypted to this key, or altered.
    case authenticationFailed
    /// The system could not encrypt (CSPRNG or crypto library failure).
    case sealingFailed
}

extension OutputError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .outputTooLarge(size, limit): "output of \(size) bytes exceeds the \(limit)-byte limit"
        case let .truncated(expected, actual): "encrypted output truncated: \(actual) bytes where \(expected) are needed"
        case .badMagic: "not a Cloister encrypted output (bad magic)"
        case .unsupportedVersion(let version): "unsupported encrypted output version \(version)"
        case .invalidEphemeralKey: "the ephemeral key is not a valid compressed secp256k1 point"
        case .contextMismatch: "the output answers another chain, contract or request"
        case .authenticationFailed: "the output did not authenticate: another key, or altered bytes"
        case .sealingFailed: "encryption failed while sealing the output"
        }
    }
}
