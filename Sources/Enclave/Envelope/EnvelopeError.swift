import Ethereum

/// Why an envelope could not be built, parsed or opened. No case carries plaintext or key material:
/// only sizes, field names and public addresses.
public enum EnvelopeError: Error, Equatable, Sendable {
    /// Larger than the limits allow; nothing was parsed.
    case envelopeTooLarge(size: Int, limit: Int)
    /// The bytes end before the field named (or before the length the header announces).
    case truncated(expected: Int, actual: Int)
    /// Bytes left over after the payload tag.
    case trailingBytes(Int)
    /// Not a Cloister envelope.
    case badMagic
    /// A format version this build does not read.
    case unsupportedVersion(UInt8)
    /// An envelope needs at least one recipient.
    case noRecipients
    case tooManyRecipients(count: Int, limit: Int)
    case payloadTooLarge(size: Int, limit: Int)
    /// The same recipient appears twice.
    case duplicateRecipient(Address)
    /// The output key is not a valid compressed secp256k1 point, or an entry's recipient or ephemeral
    /// key is not a valid 64-byte `x ‖ y` point.
    case invalidPublicKey(EnvelopeKeyField)
    /// The header names another chain, contract, requester or output key than the request: a replay.
    case contextMismatch(EnvelopeContextField)
    /// This enclave's key is not among the recipients.
    case notARecipient(Address)
    /// The unwrapped data key does not match the header's key commitment: this recipient's wrap was
    /// broken (by the requester or in transit) or made for another key. The node answers status 3.
    case keyCommitmentMismatch
    /// The payload did not authenticate: the payload, its nonce or the header was altered.
    case payloadAuthenticationFailed
    /// The system could not encrypt (CSPRNG or crypto library failure) while building an envelope.
    case sealingFailed
}

/// Which public key in the header was invalid.
public enum EnvelopeKeyField: String, Sendable {
    case ephemeralKey, outputKey, recipientKey
}

extension EnvelopeError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .envelopeTooLarge(size, limit): "envelope of \(size) bytes exceeds the \(limit)-byte limit"
        case let .truncated(expected, actual): "envelope truncated: \(actual) bytes where \(expected) are needed"
        case .trailingBytes(let count): "\(count) unexpected bytes after the envelope"
        case .badMagic: "not a Cloister envelope (bad magic)"
        case .unsupportedVersion(let version): "unsupported envelope version \(version)"
        case .noRecipients: "the envelope names no recipient"
        case let .tooManyRecipients(count, limit): "\(count) recipients exceed the limit of \(limit)"
        case let .payloadTooLarge(size, limit): "payload of \(size) bytes exceeds the \(limit)-byte limit"
        case .duplicateRecipient(let address): "recipient \(address) appears twice"
        case .invalidPublicKey(let field): "the \(field.rawValue) is not a valid secp256k1 point"
        case .contextMismatch(let field): "the envelope is bound to another \(field.rawValue) than the request (replayed?)"
        case .notARecipient(let address): "the envelope is not addressed to enclave \(address)"
        case .keyCommitmentMismatch: "the unwrapped data key does not match the key commitment: broken or altered wrap"
        case .payloadAuthenticationFailed: "the payload did not authenticate: altered payload, nonce or header"
        case .sealingFailed: "encryption failed while sealing"
        }
    }
}
