import Ethereum

/// Why a completion could not be obtained. No case carries the prompt or the API key; text taken
/// from the server (a model name, a finish reason) is cut to ``CompletionError/quotedLimit`` bytes.
package enum CompletionError: Error, Equatable, Sendable {
    // Retryable: the same request may succeed later.

    /// No complete response within the configured request timeout.
    case timedOut(after: Duration)
    /// The connection could not be made or broke before the response was complete.
    case connectionFailed(String)
    /// HTTP 429 or 5xx: the server is overloaded or failing. `retryAfter` is its `Retry-After` in seconds.
    case serverUnavailable(status: Int, retryAfter: Duration?)
    /// The calling task was cancelled (the node is stopping); the request was abandoned.
    case cancelled

    // Not retryable: the server answered, and the answer is refused.

    /// HTTP 4xx other than 429: the server refused this request (for example a prompt longer than the
    /// model's context). The body is not quoted: servers may echo the input.
    case requestRejected(status: Int)
    /// A status that is neither 200, 4xx nor 5xx (1xx, other 2xx, 3xx: redirects are not followed).
    case unexpectedStatus(Int)
    /// The body (or its declared `Content-Length`) exceeds the configured maximum.
    case responseTooLarge(limit: Int)
    /// The body is not one JSON document (strict RFC 8259: duplicate keys are refused too).
    case invalidJSON(JSONParseError)
    /// The JSON is not a chat completion of the expected shape; the reason names the field.
    case malformedResponse(String)
    /// `choices` holds this many entries instead of exactly one.
    case choiceCount(Int)
    /// The response's `model` is not the configured served model name.
    case modelMismatch(expected: String, actual: String)
    /// `finish_reason` is neither `stop` nor `length`.
    case unexpectedFinishReason(String)

    /// Whether retrying the same request could succeed: timeouts, connection failures, 429, 5xx,
    /// cancellation. Everything else is the server's definite answer to this request.
    package var isRetryable: Bool {
        switch self {
        case .timedOut, .connectionFailed, .serverUnavailable, .cancelled: true
        case .requestRejected, .unexpectedStatus, .responseTooLarge, .invalidJSON, .malformedResponse,
            .choiceCount, .modelMismatch, .unexpectedFinishReason:
            false
        }
    }

    /// Longest text from the server that an error quotes, in UTF-8 bytes.
    package static let quotedLimit = 80

    /// `text` cut to ``quotedLimit`` bytes at a character boundary, marked with `…` when cut.
    static func quoted(_ text: String) -> String {
        guard text.utf8.count > quotedLimit else { return text }
        var result = ""
        for character in text {
            guard result.utf8.count + character.utf8.count <= quotedLimit else { break }
            result.append(character)
        }
        return result + "…"
    }
}
