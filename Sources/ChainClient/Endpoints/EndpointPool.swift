/// Chooses the endpoint for each attempt: the first configured endpoint that is not benched, and on
/// a retry another one than the endpoint that just failed when there is one.
actor EndpointPool {
    let endpoints: [Endpoint]
    private let policy: HealthPolicy
    private var health: [EndpointHealth]

    init(_ endpoints: [Endpoint], policy: HealthPolicy) {
        self.endpoints = endpoints
        self.policy = policy
        health = Array(repeating: EndpointHealth(), count: endpoints.count)
    }

    /// The index of the endpoint to try next. When every endpoint is benched, the one whose
    /// cool-down ends first is tried anyway (a call never fails merely because all are benched).
    func choose(avoiding failed: Int?) -> Int {
        let now = ContinuousClock.Instant.now
        let available = health.indices.filter { health[$0].isAvailable(at: now) }
        if let other = available.first(where: { $0 != failed }) { return other }
        if let only = available.first { return only }
        return health.indices.min { (health[$0].benchedUntil ?? now) < (health[$1].benchedUntil ?? now) } ?? 0
    }

    func recordSuccess(_ index: Int) {
        health[index].recordSuccess()
    }

    func recordFailure(_ index: Int) {
        health[index].recordFailure(at: .now, policy: policy)
    }

    func statuses() -> [EndpointStatus] {
        let now = ContinuousClock.Instant.now
        return zip(endpoints, health).map { endpoint, record in
            EndpointStatus(
                label: endpoint.label, isBenched: !record.isAvailable(at: now),
                consecutiveFailures: record.consecutiveFailures,
                requests: record.requests, failures: record.failures)
        }
    }
}
