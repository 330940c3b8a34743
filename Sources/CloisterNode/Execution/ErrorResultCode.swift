/// The status of an error result (docs/protocol.md, "Status"): the requester learns on chain why its
/// request was not served, and the result's `output` carries a one-line message. Messages never quote
/// the input, which may be confidential.
enum ErrorResultCode: UInt8, Sendable {
    /// The input does not decode as the task's canonical ABI input, is empty, or has invalid labels; or the
    /// envelope is malformed, bound to another request or output key, or its payload does not authenticate
    /// (what every recipient sees alike).
    case invalidInput = 1
    /// The input is larger than the engine accepts.
    case inputTooLong = 2
    /// This enclave's own key wrap does not open: it is not a recipient, or the unwrapped key does not match
    /// the envelope's key commitment.
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
