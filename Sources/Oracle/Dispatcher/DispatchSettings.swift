/// How the dispatcher schedules work.
public struct DispatchSettings: Sendable, Equatable {
    /// Jobs executed at once.
    public var concurrency: Int
    /// Executions of one job that may fail with a node fault before it is given up.
    public var maxAttempts: Int
    /// Seconds to wait before retrying a job after a node fault (doubled per attempt).
    public var retryDelaySeconds: UInt64

    public init(concurrency: Int, maxAttempts: Int, retryDelaySeconds: UInt64 = 2) {
        self.concurrency = concurrency
        self.maxAttempts = maxAttempts
        self.retryDelaySeconds = retryDelaySeconds
    }
}

/// What one dispatch round did.
public struct DispatchRound: Equatable, Sendable {
    /// Jobs executed and signed (error results included).
    public var signed = 0
    /// Of those, error results (requester errors).
    public var errorResults = 0
    /// Executions that failed with a node fault and will be retried.
    public var faults = 0
    /// Jobs given up: deadline passed, or too many node faults.
    public var failed = 0
    /// How long each successful execution took.
    public var executionDurations: [Duration] = []

    public var isIdle: Bool { signed == 0 && faults == 0 && failed == 0 }
}
