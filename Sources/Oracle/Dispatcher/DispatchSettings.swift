/// How the dispatcher schedules work.
package struct DispatchSettings: Sendable, Equatable {
    /// Jobs executed at once.
    package var concurrency: Int
    /// Executions of one job that may fail with a node fault before it is given up.
    package var maxAttempts: Int
    /// Seconds to wait before retrying a job after a node fault (doubled per attempt).
    package var retryDelaySeconds: UInt64

    package init(concurrency: Int, maxAttempts: Int, retryDelaySeconds: UInt64 = 2) {
        self.concurrency = concurrency
        self.maxAttempts = maxAttempts
        self.retryDelaySeconds = retryDelaySeconds
    }
}

/// What one dispatch round did.
package struct DispatchRound: Equatable, Sendable {
    /// Jobs executed and signed (error results included).
    package var signed = 0
    /// Of those, error results (requester errors).
    package var errorResults = 0
    /// Executions that failed with a node fault and will be retried.
    package var faults = 0
    /// Jobs given up: deadline passed, or too many node faults.
    package var failed = 0
    /// How long each successful execution took.
    package var executionDurations: [Duration] = []

    package var isIdle: Bool { signed == 0 && faults == 0 && failed == 0 }
}
