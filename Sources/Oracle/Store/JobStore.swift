import Ethereum

/// A block the watcher has scanned, kept for a while to detect reorgs.
package struct ScannedBlock: Hashable, Sendable {
    package let number: UInt64
    package let hash: Bytes32
    package let parentHash: Bytes32
    /// The header's logs bloom as the endpoint gave it (not stored: only a fresh read is checked with it).
    package let logsBloom: LogsBloom?

    package init(number: UInt64, hash: Bytes32, parentHash: Bytes32, logsBloom: LogsBloom? = nil) {
        self.number = number
        self.hash = hash
        self.parentHash = parentHash
        self.logsBloom = logsBloom
    }
}

/// What one watcher step saw: the blocks it scanned, the jobs found in them, and where to go on from.
/// It is committed in one database transaction, so a crash never leaves the cursor ahead of the jobs.
package struct ScanBatch: Sendable {
    package let blocks: [ScannedBlock]
    package let jobs: [Job]
    /// The first block the next scan starts at.
    package let nextBlock: UInt64

    package init(blocks: [ScannedBlock], jobs: [Job], nextBlock: UInt64) {
        self.blocks = blocks
        self.jobs = jobs
        self.nextBlock = nextBlock
    }
}

/// Fields a transition may set along with the new state.
package struct JobChanges: Sendable {
    package var result: JobResult?
    package var signature: [UInt8]?
    package var transactionNonce: UInt64?
    package var failureReason: String?
    package var incrementAttempts = false

    package init(
        result: JobResult? = nil, signature: [UInt8]? = nil, transactionNonce: UInt64? = nil,
        failureReason: String? = nil, incrementAttempts: Bool = false
    ) {
        self.result = result
        self.signature = signature
        self.transactionNonce = transactionNonce
        self.failureReason = failureReason
        self.incrementAttempts = incrementAttempts
    }
}

/// What a transition did.
package enum TransitionOutcome: Equatable, Sendable {
    /// The job moved to the new state.
    case applied
    /// The job was already in the target state: nothing changed (a repeated transition).
    case alreadyInState
    /// The job is in a state the transition may not start from; it was left as it was.
    case refused(current: JobState)
    /// No such job.
    case missing
}

/// What a rewind to a common ancestor did to the jobs seen above it.
package struct RewindOutcome: Equatable, Sendable {
    /// Jobs from orphaned blocks that had not been sent: deleted, to be found again if their request
    /// survives on the new branch.
    package var dropped: [JobKey] = []
    /// Jobs from orphaned blocks whose transaction may be on the network: kept, with any inclusion
    /// undone, so the submitter re-checks and, if needed, re-sends them.
    package var recheck: [JobKey] = []

    package init() {}
}

/// The node's durable memory: jobs with their state machine, the watcher's cursor and recent blocks.
/// Every method is atomic, and every transition idempotent, so a crash at any instant resumes correctly.
package protocol JobStore: Sendable {
    /// The first block the watcher has not scanned yet, or nil on a new store.
    func nextBlock() async throws -> UInt64?
    /// The most recent scanned blocks, newest first.
    func recentBlocks(limit: Int) async throws -> [ScannedBlock]
    /// Records a scan: blocks, new jobs (a job already known is left as it is) and the cursor.
    /// Returns the keys of the jobs that were new.
    @discardableResult
    func commit(_ scan: ScanBatch) async throws -> [JobKey]
    /// Forgets blocks above `ancestor`, drops unsent jobs observed there and marks sent ones for
    /// re-checking; the cursor moves to `ancestor + 1`.
    func rewind(toAncestor ancestor: UInt64) async throws -> RewindOutcome
    func job(_ key: JobKey) async throws -> Job?
    /// Jobs in any of `states`, oldest observation first.
    func jobs(in states: Set<JobState>, limit: Int) async throws -> [Job]
    /// Moves a job to `state` if it is in one of the state's predecessors, setting `changes`.
    @discardableResult
    func transition(_ key: JobKey, to state: JobState, _ changes: JobChanges) async throws -> TransitionOutcome
    /// Applies every plan's steps, in order, in one database transaction; a job whose step is not
    /// applied takes no further steps. One write instead of one per job and step. Returns each job's
    /// last outcome.
    func transition(_ plans: [TransitionPlan]) async throws -> [JobKey: TransitionOutcome]
    /// How many jobs are in each state.
    func countsByState() async throws -> [JobState: Int]
    /// The most recently observed jobs, newest first (for the status page).
    func latestJobs(limit: Int) async throws -> [Job]
}

extension JobStore {
    /// A store without its own query: every job, newest kept. Stores override it with an indexed query.
    package func latestJobs(limit: Int) async throws -> [Job] {
        Array(try await jobs(in: Set(JobState.allCases), limit: .max).reversed().prefix(limit))
    }
}

/// Transitions to apply to one job, in order.
package struct TransitionPlan: Sendable {
    package let key: JobKey
    package let steps: [(state: JobState, changes: JobChanges)]

    package init(_ key: JobKey, _ steps: [(state: JobState, changes: JobChanges)]) {
        self.key = key
        self.steps = steps
    }
}
