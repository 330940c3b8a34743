extension RPCClient {
    /// Runs `attempt` against chosen endpoints until it succeeds, fails for good, or the attempts
    /// run out; waits for the endpoint's rate limit before each attempt and backs off between them.
    func withRetries<Value>(
        isIdempotent: Bool,
        _ attempt: (Endpoint) async throws(AttemptFailure) -> Value
    ) async throws(ChainClientError) -> Value {
        let policy = configuration.retry
        var failedIndex: Int?
        var retryAfter: Duration?
        for attemptNumber in 1...policy.maxAttempts {
            if attemptNumber > 1 {
                do { try await Task.sleep(for: policy.backoff(beforeRetry: attemptNumber - 1, retryAfter: retryAfter)) } catch {
                    throw .cancelled
                }
            }
            let index = await pool.choose(avoiding: failedIndex)
            let endpoint = pool.endpoints[index]
            try await endpoint.limiter?.acquire()
            do {
                let value = try await attempt(endpoint)
                await pool.recordSuccess(index)
                return value
            } catch {
                if error.error.blamesEndpoint {
                    await pool.recordFailure(index)
                } else {
                    await pool.recordSuccess(index)
                }
                guard isIdempotent, error.error.isRetryable, attemptNumber < policy.maxAttempts, !Task.isCancelled else {
                    throw Task.isCancelled ? .cancelled : error.error
                }
                failedIndex = index
                retryAfter = error.retryAfter
            }
        }
        throw .invalidArgument("retry policy allows no attempt")
    }
}
