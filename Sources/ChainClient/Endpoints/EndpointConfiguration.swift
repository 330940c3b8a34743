import Foundation

/// One JSON-RPC endpoint: its URL and the request rate it may receive.
public struct EndpointConfiguration: Hashable, Sendable {
    /// The full URL, which may carry an API key in its path or query (never logged or put in errors).
    public var url: String
    /// Sustained requests per second sent to this endpoint; `nil` for no limit.
    public var requestsPerSecond: Double?
    /// Requests that may be sent at once before the rate applies.
    public var burst: Int

    public init(url: String, requestsPerSecond: Double? = nil, burst: Int = 10) {
        self.url = url
        self.requestsPerSecond = requestsPerSecond
        self.burst = burst
    }

    /// Scheme, host and port only: safe to show in logs, errors and metrics.
    public var label: String {
        guard let components = URLComponents(string: url), let scheme = components.scheme,
            let host = components.host
        else { return "endpoint" }
        return components.port.map { "\(scheme)://\(host):\($0)" } ?? "\(scheme)://\(host)"
    }
}
