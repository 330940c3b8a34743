/// When an endpoint is benched, and for how long.
public struct HealthPolicy: Hashable, Sendable {
    /// Consecutive failures (transport errors, timeouts, 429/5xx, invalid answers) that bench an endpoint.
    public var failureThreshold: Int
    /// How long a benched endpoint is skipped. After it, one failure benches it again; one success clears it.
    public var coolDown: Duration

    public init(failureThreshold: Int = 3, coolDown: Duration = .seconds(30)) {
        self.failureThreshold = failureThreshold
        self.coolDown = coolDown
    }
}
