import Foundation

extension OpenAICompatibleConfiguration {
    /// `{baseURL}/chat/completions` after checking every field; throws the first problem found.
    func chatCompletionsURL() throws(OpenAICompatibleConfigurationError) -> String {
        guard !servedModelName.isEmpty else { throw .emptyModelName }
        guard maxTokens > 0 else { throw .zeroMaxTokens }
        guard requestTimeout > .zero else { throw .nonPositiveTimeout }
        guard maxResponseBytes > 0 else { throw .nonPositiveResponseLimit }
        guard let components = URLComponents(string: baseURL) else { throw .invalidBaseURL("not a URL") }
        guard let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw .invalidBaseURL("the scheme must be http or https")
        }
        guard let host = components.host, !host.isEmpty else { throw .invalidBaseURL("no host") }
        guard components.user == nil, components.password == nil else {
            throw .invalidBaseURL("credentials in the URL; use apiKey")
        }
        guard components.query == nil, components.fragment == nil else {
            throw .invalidBaseURL("a query or fragment; give the API root only")
        }
        var root = baseURL
        while root.hasSuffix("/") { root.removeLast() }
        return root + "/chat/completions"
    }
}

/// Why an ``OpenAICompatibleConfiguration`` cannot be used. Never quotes the base URL, which could
/// carry credentials, nor the API key.
package enum OpenAICompatibleConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The base URL is not an absolute http(s) URL with a host, or carries credentials, a query or a fragment.
    case invalidBaseURL(String)
    case emptyModelName
    case zeroMaxTokens
    case nonPositiveTimeout
    case nonPositiveResponseLimit

    package var description: String {
        switch self {
        case .invalidBaseURL(let reason): "invalid base URL: \(reason)"
        case .emptyModelName: "the served model name is empty"
        case .zeroMaxTokens: "maxTokens must be at least 1"
        case .nonPositiveTimeout: "the request timeout must be positive"
        case .nonPositiveResponseLimit: "the response size limit must be positive"
        }
    }
}
