import Ethereum
/// How often and how patiently a failed call is retried.
///
/// The delay before retry *n* (1-based) is drawn uniformly from 0…min(`maxBackoff`,
/// `initialBackoff` × 2ⁿ⁻¹) ("full jitter", so clients that failed together do not retry together),
/// and is at least the server's `Retry-After` when it sent one (still capped by `maxBackoff`).
public struct RetryPolicy: Hashable, Sendable {
    /// Attempts in total, the first included (1 disables retries).
    public var maxAttempts: Int
    public var initialBackoff: Duration
    public var maxBackoff: Duration

    public init(maxAttempts: Int = 4, initialBackoff: Duration = .milliseconds(100), maxBackoff: Duration = .seconds(5)) {
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
    }

    /// The delay before retry `retry` (1 for the first retry).
    func backoff(beforeRetry retry: Int, retryAfter: Duration?) -> Duration {
        let exponent = min(max(retry - 1, 0), 30)
        let ceiling = min(Double(maxBackoff.wholeNanoseconds), Double(initialBackoff.wholeNanoseconds) * Double(1 << exponent))
        let jittered = Double.random(in: 0...max(ceiling, 0))
        let floor = min(Double(retryAfter?.wholeNanoseconds ?? 0), Double(maxBackoff.wholeNanoseconds))
        return .nanoseconds(Int64(max(jittered, floor)))
    }
}
