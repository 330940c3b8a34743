/// Every way a chain call can fail. Endpoint labels are scheme, host and port only: URLs may carry
/// API keys in their paths, and those never reach an error.
public enum ChainClientError: Error, Equatable, Sendable {
    /// The node answered with a JSON-RPC error; see ``RPCError/kind`` for its meaning.
    case rpc(RPCError)
    /// The endpoint answered something that is not a valid answer to the question.
    case invalidResponse(endpoint: String, InvalidResponse)
    /// No answer within the per-call timeout.
    case timeout(endpoint: String)
    /// Connection refused or reset, DNS failure, TLS failure.
    case transport(endpoint: String, reason: String)
    /// An HTTP status other than 200 (429 and 5xx are retried, others are not).
    case httpStatus(endpoint: String, status: Int)
    /// The call was refused before it was sent (a malformed argument).
    case invalidArgument(String)
    /// The calling task was cancelled.
    case cancelled

    /// Whether another attempt, possibly at another endpoint, might succeed.
    var isRetryable: Bool {
        switch self {
        case .rpc(let error): error.kind == .rateLimited
        case .invalidResponse, .timeout, .transport: true
        case .httpStatus(_, let status): status == 429 || (500...599).contains(status)
        case .invalidArgument, .cancelled: false
        }
    }

    /// Whether the endpoint is to blame (counts against its health).
    var blamesEndpoint: Bool {
        switch self {
        case .rpc(let error): error.kind == .rateLimited
        case .invalidResponse, .timeout, .transport, .httpStatus: true
        case .invalidArgument, .cancelled: false
        }
    }
}
