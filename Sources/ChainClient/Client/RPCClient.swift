import AsyncHTTPClient
import Synchronization

/// The node's only way to talk to the chain: typed JSON-RPC calls over pooled HTTP connections,
/// with timeouts, retries, endpoint failover, rate limits and strict checks of every answer.
///
/// Reads are retried (they are idempotent); ``sendRawTransaction(_:)`` is retried too because
/// resending the same signed bytes cannot create a second transaction. Other non-idempotent calls
/// made through ``request(_:timeout:)`` are never retried.
public final class RPCClient: Sendable {
    public let configuration: RPCClientConfiguration
    let pool: EndpointPool
    let transport: HTTPTransport
    private let nextID = Atomic<Int64>(1)

    /// Uses `httpClient` for connections (by default the process-wide shared client, which needs
    /// no shutdown). Fails when no endpoint is configured or a policy is out of range.
    public init(configuration: RPCClientConfiguration, httpClient: HTTPClient = .shared) throws(ChainClientError) {
        guard !configuration.endpoints.isEmpty else { throw .invalidArgument("no endpoint configured") }
        guard configuration.retry.maxAttempts >= 1, configuration.health.failureThreshold >= 1,
            configuration.maxBatchSize >= 1, configuration.maxResponseBytes >= 1
        else {
            throw .invalidArgument("attempts, failure threshold, batch size and response size must be positive")
        }
        self.configuration = configuration
        pool = EndpointPool(configuration.endpoints.map(Endpoint.init), policy: configuration.health)
        transport = HTTPTransport(client: httpClient, maxResponseBytes: configuration.maxResponseBytes)
    }

    /// Health of each endpoint, in configured order.
    public func endpointStatuses() async -> [EndpointStatus] {
        await pool.statuses()
    }

    /// `count` fresh request ids.
    func reserveIDs(_ count: Int) -> Range<Int64> {
        let first = nextID.add(Int64(count), ordering: .relaxed).oldValue
        return first..<(first + Int64(count))
    }
}
