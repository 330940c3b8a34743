extension CompletionError: CustomStringConvertible {
    package var description: String {
        switch self {
        case .timedOut(let after): "no complete response within \(after)"
        case .connectionFailed(let reason): "connection to the completion server failed: \(reason)"
        case .serverUnavailable(let status, let retryAfter):
            "the completion server is unavailable (HTTP \(status))" + (retryAfter.map { ", retry after \($0)" } ?? "")
        case .cancelled: "the completion request was cancelled"
        case .requestRejected(let status): "the completion server rejected the request (HTTP \(status))"
        case .unexpectedStatus(let status): "unexpected HTTP status \(status) from the completion server"
        case .responseTooLarge(let limit): "the completion response exceeds \(limit) bytes"
        case .invalidJSON(let error): "the completion response is not valid JSON (\(error.reason) at byte \(error.position))"
        case .malformedResponse(let reason): "malformed chat completion: \(reason)"
        case .choiceCount(let count): "the completion response has \(count) choices instead of 1"
        case .modelMismatch(let expected, let actual): "the completion response is from model '\(actual)', not '\(expected)'"
        case .unexpectedFinishReason(let reason): "unexpected finish_reason '\(reason)' (expected stop or length)"
        }
    }
}
