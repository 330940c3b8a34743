import Ethereum
/// A token bucket: `capacity` requests at once, then `ratePerSecond` on average. Callers that find
/// the bucket empty reserve a future token and sleep until it is theirs, so waiters are served in order.
actor TokenBucket {
    private let ratePerSecond: Double
    private let capacity: Double
    private var tokens: Double
    private var refilledAt: ContinuousClock.Instant

    init(ratePerSecond: Double, capacity: Double) {
        self.ratePerSecond = max(ratePerSecond, 0.001)
        self.capacity = capacity
        tokens = capacity
        refilledAt = .now
    }

    /// Waits until a request may be sent.
    nonisolated func acquire() async throws(ChainClientError) {
        let wait = await reserve()
        guard wait > .zero else { return }
        do { try await Task.sleep(for: wait) } catch { throw .cancelled }
    }

    /// Takes a token, possibly one not yet refilled; returns how long until it exists.
    private func reserve() -> Duration {
        let now = ContinuousClock.Instant.now
        let elapsed = Double((now - refilledAt).wholeNanoseconds) / 1e9
        tokens = min(capacity, tokens + elapsed * ratePerSecond)
        refilledAt = now
        tokens -= 1
        return tokens >= 0 ? .zero : .nanoseconds(Int64(-tokens / ratePerSecond * 1e9))
    }
}
