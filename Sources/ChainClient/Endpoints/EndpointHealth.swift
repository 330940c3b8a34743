/// The running record of one endpoint's answers.
struct EndpointHealth: Sendable {
    private(set) var consecutiveFailures = 0
    private(set) var benchedUntil: ContinuousClock.Instant?
    private(set) var requests = 0
    private(set) var failures = 0

    func isAvailable(at now: ContinuousClock.Instant) -> Bool {
        benchedUntil.map { now >= $0 } ?? true
    }

    mutating func recordSuccess() {
        requests += 1
        consecutiveFailures = 0
        benchedUntil = nil
    }

    mutating func recordFailure(at now: ContinuousClock.Instant, policy: HealthPolicy) {
        requests += 1
        failures += 1
        consecutiveFailures += 1
        if consecutiveFailures >= policy.failureThreshold {
            benchedUntil = now + policy.coolDown
        }
    }
}

/// A snapshot of an endpoint's health, for status pages and metrics.
public struct EndpointStatus: Hashable, Sendable {
    /// Scheme, host and port of the endpoint.
    public let label: String
    public let isBenched: Bool
    public let consecutiveFailures: Int
    /// Attempts sent to the endpoint (each retry counts).
    public let requests: Int
    public let failures: Int
}
