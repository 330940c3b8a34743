/// Everything a ``RPCClient`` can be tuned by. Every knob has a default except the endpoints.
public struct RPCClientConfiguration: Sendable {
    /// In order of preference: the first healthy endpoint takes every call.
    public var endpoints: [EndpointConfiguration]
    /// The longest one attempt (one HTTP exchange) may take.
    public var requestTimeout: Duration
    public var retry: RetryPolicy
    public var health: HealthPolicy
    /// Larger answers are refused (protects memory against a hostile endpoint).
    public var maxResponseBytes: Int
    /// Larger batches are split into several HTTP requests.
    public var maxBatchSize: Int

    public init(
        endpoints: [EndpointConfiguration], requestTimeout: Duration = .seconds(10),
        retry: RetryPolicy = RetryPolicy(), health: HealthPolicy = HealthPolicy(),
        maxResponseBytes: Int = 32 << 20, maxBatchSize: Int = 100
    ) {
        self.endpoints = endpoints
        self.requestTimeout = requestTimeout
        self.retry = retry
        self.health = health
        self.maxResponseBytes = maxResponseBytes
        self.maxBatchSize = maxBatchSize
    }

    /// One endpoint with the default policies.
    public init(url: String) {
        self.init(endpoints: [EndpointConfiguration(url: url)])
    }
}
