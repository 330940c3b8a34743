import Ethereum
import Foundation

/// A result this node is party to (as executor, verifier, challenger or juror), followed until nothing
/// is left to do for it. Its body is the implementation's encoding of what it knows about the result.
package struct TrackedResult: Hashable, Sendable {
    package let requestID: Bytes32
    package var body: [UInt8]
    /// The block of the event after which nothing is left to do for it (settled, refunded, corrected, or
    /// this node has no further part); nil while open. A reorg that orphans that block reopens it.
    package var closedAt: UInt64?
    package var isOpen: Bool { closedAt == nil }

    package init(requestID: Bytes32, body: [UInt8], closedAt: UInt64?) {
        self.requestID = requestID
        self.body = body
        self.closedAt = closedAt
    }
}

/// What one duty scan saw: new duty jobs, updated tracked results, the headers kept for reorg detection
/// and where to go on from, committed in one database transaction so a crash never leaves the cursor
/// ahead of what it found.
package struct DutyScan: Sendable {
    package let jobs: [Job]
    package let tracked: [TrackedResult]
    package let blocks: [ScannedBlock]
    package let nextBlock: UInt64

    package init(jobs: [Job], tracked: [TrackedResult], blocks: [ScannedBlock] = [], nextBlock: UInt64) {
        self.jobs = jobs
        self.tracked = tracked
        self.blocks = blocks
        self.nextBlock = nextBlock
    }
}

/// The node's money totals (stake slashed, credits by reason) counted from the chain's events up to and
/// including block `through`, a block buried deeper than any reorg: a restart counts on from there
/// instead of from the deployment block.
package struct DutyTotalsCheckpoint: Sendable, Equatable {
    package let through: UInt64
    package let totals: DutyReport

    package init(through: UInt64, totals: DutyReport) {
        self.through = through
        self.totals = totals
    }
}

/// The store's side of duties: the duty scanner's cursor and the results the node is party to.
package protocol DutyStore: Sendable {
    /// The first block the duty scanner has not read yet, or nil on a new store.
    func dutyCursor() async throws -> UInt64?
    /// Inserts the scan's jobs (a job already known is left as it is), replaces its tracked results,
    /// keeps its block hashes and moves the cursor.
    func commit(_ scan: DutyScan) async throws
    /// The most recent blocks the duty scanner read, newest first.
    func recentDutyBlocks(limit: Int) async throws -> [ScannedBlock]
    /// After a reorg: forgets the duty scanner's blocks above `ancestor`, reopens the results ended by an
    /// event above it (the new branch may not end them; a rescan closes them again if it does), and moves
    /// the cursor to `ancestor + 1`. Duty jobs are left as they are: one whose event is not on the new
    /// branch fails when the chain refuses its transaction.
    func rewindDuties(toAncestor ancestor: UInt64) async throws
    /// The tracked result of `requestID`, if any.
    func trackedResult(_ requestID: Bytes32) async throws -> TrackedResult?
    /// The keys of the jobs in `role` that are in any of `states`.
    func jobKeys(role: JobRole, in states: Set<JobState>) async throws -> [JobKey]
    /// How many verifier, juror and challenger jobs failed (most often: their window closed first).
    func failedDutyCount() async throws -> Int
    /// Every tracked result still open, oldest first.
    func openTrackedResults(limit: Int) async throws -> [TrackedResult]
    /// The last money-totals checkpoint saved, if any.
    func dutyTotals() async throws -> DutyTotalsCheckpoint?
    /// Replaces the money-totals checkpoint.
    func saveDutyTotals(_ checkpoint: DutyTotalsCheckpoint) async throws
}

extension DutyTotalsCheckpoint {
    /// The stored form: the totals as `/v1/status` encodes them (wei in decimal).
    package func encodedTotals() throws -> [UInt8] {
        Array(try JSONEncoder().encode(totals))
    }

    package init(through: UInt64, encodedTotals: [UInt8]) throws {
        self.init(through: through, totals: try JSONDecoder().decode(DutyReport.self, from: Data(encodedTotals)))
    }
}
