/// The status of an error result (docs/protocol.md, "Status"): the requester learns on chain why its
/// request was not served, and the result's `output` carries a one-line message. Messages never quote
/// the input, which may be confidential.
enum ErrorResultCode: UInt8, Sendable {
    /// The input does not decode as the task's canonical ABI input, is empty, or has invalid labels.
    case invalidInput = 1
    /// The input is larger than the engine accepts.
    case inputTooLong = 2
    /// The envelope is malformed, bound to another request, not addressed to this enclave, or altered.
    case decryptionFailed = 3
    /// The engine could not produce an output for this input (for example one too large to post).
    case modelError = 4
    /// The model id names no task this node serves.
    case unsupportedModel = 5
}

/// A requester-caused failure: becomes an error result on chain.
struct RequestRejection: Error, Sendable {
    let code: ErrorResultCode
    let message: String
}
