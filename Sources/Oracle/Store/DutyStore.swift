import Ethereum

/// A result this node is party to (as executor, verifier, challenger or juror), followed until nothing
/// is left to do for it. Its body is the implementation's encoding of what it knows about the result.
public struct TrackedResult: Hashable, Sendable {
    public let requestID: Bytes32
    public var body: [UInt8]
    /// False once the result is settled, refunded or corrected, or this node has no further part in it.
    public var isOpen: Bool

    public init(requestID: Bytes32, body: [UInt8], isOpen: Bool) {
        self.requestID = requestID
        self.body = body
        self.isOpen = isOpen
    }
}

/// What one duty scan saw: new duty jobs, updated tracked results and where to go on from, committed
/// in one database transaction so a crash never leaves the cursor ahead of what it found.
public struct DutyScan: Sendable {
    public let jobs: [Job]
    public let tracked: [TrackedResult]
    public let nextBlock: UInt64

    public init(jobs: [Job], tracked: [TrackedResult], nextBlock: UInt64) {
        self.jobs = jobs
        self.tracked = tracked
        self.nextBlock = nextBlock
    }
}

/// The store's side of duties: the duty scanner's cursor and the results the node is party to.
public protocol DutyStore: Sendable {
    /// The first block the duty scanner has not read yet, or nil on a new store.
    func dutyCursor() async throws -> UInt64?
    /// Inserts the scan's jobs (a job already known is left as it is), replaces its tracked results and moves the cursor.
    func commit(_ scan: DutyScan) async throws
    /// The tracked result of `requestID`, if any.
    func trackedResult(_ requestID: Bytes32) async throws -> TrackedResult?
    /// The keys of the jobs in `role` that are in any of `states`.
    func jobKeys(role: JobRole, in states: Set<JobState>) async throws -> [JobKey]
    /// How many verifier, juror and challenger jobs failed (most often: their window closed first).
    func failedDutyCount() async throws -> Int
    /// Every tracked result still open, oldest first.
    func openTrackedResults(limit: Int) async throws -> [TrackedResult]
}
