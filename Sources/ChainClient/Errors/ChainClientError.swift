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

extension ChainClientError: CustomStringConvertible {
    /// In plain words for an operator: which endpoint (its label, never a key) and what went wrong.
    public var description: String {
        switch self {
        case .rpc(let error): "the node refused the call: \(error.message) (JSON-RPC error \(error.code))"
        case let .invalidResponse(endpoint, problem): "\(endpoint) answered something that is not a valid answer: \(problem)"
        case .timeout(let endpoint): "\(endpoint) did not answer in time"
        case let .transport(endpoint, reason): "cannot talk to \(endpoint): \(Self.plain(reason))"
        case let .httpStatus(endpoint, status): "\(endpoint) answered HTTP \(status)"
        case .invalidArgument(let why): "the call was not sent: \(why)"
        case .cancelled: "the call was cancelled"
        }
    }

    /// The meaning of a transport failure, without the networking library's type names.
    static func plain(_ reason: String) -> String {
        let text = reason.lowercased()
        let meanings: [(String, String)] = [
            ("connection refused", "connection refused (nothing listens at that address and port)"),
            ("connection reset", "the connection was reset"),
            ("no address associated", "the host name does not resolve"),
            ("name or service not known", "the host name does not resolve"),
            ("nodename nor servname", "the host name does not resolve"),
            ("network is unreachable", "the network is unreachable"),
            ("timed out", "the connection timed out"),
            ("certificate", "its TLS certificate was not accepted"),
            ("handshake", "the TLS handshake failed")
        ]
        return meanings.first { text.contains($0.0) }?.1 ?? reason
    }
}
