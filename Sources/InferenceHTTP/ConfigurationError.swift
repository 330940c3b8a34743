/// Why an ``OpenAICompatibleConfiguration`` cannot be used. Never quotes the base URL, which could
/// carry credentials, nor the API key.
public enum ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The base URL is not an absolute http(s) URL with a host, or carries credentials, a query or a fragment.
    case invalidBaseURL(String)
    case emptyModelName
    case zeroMaxTokens
    case nonPositiveTimeout
    case nonPositiveResponseLimit

    public var description: String {
        switch self {
        case .invalidBaseURL(let reason): "invalid base URL: \(reason)"
        case .emptyModelName: "the served model name is empty"
        case .zeroMaxTokens: "maxTokens must be at least 1"
        case .nonPositiveTimeout: "the request timeout must be positive"
        case .nonPositiveResponseLimit: "the response size limit must be positive"
        }
    }
}
