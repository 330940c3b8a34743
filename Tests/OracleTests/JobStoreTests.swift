import Ethereum
import Foundation
import Testing
@testable import Oracle

@Suite struct JobStoreTests {
    static func hash(_ seed: Int) -> Bytes32 { Keccak256.hash(Array("block-\(seed)".utf8)) }

    static func job(_ seed: Int, block: UInt64, role: JobRole = .executor) -> Job {
        Job(
            key: JobKey(requestID: Keccak256.hash(Array("request-\(seed)".utf8)), role: role),
            model: Keccak256.hash(Array("model".utf8)), request: Array("input-\(seed)".utf8),
            observedIn: BlockRef(number: block, hash: hash(Int(block))), logIndex: UInt64(seed), deadline: 1_900_000_000)
    }

    static func blocks(_ range: ClosedRange<UInt64>) -> [ScannedBlock] {
        range.map { ScannedBlock(number: $0, hash: hash(Int($0)), parentHash: hash(Int($0) - 1)) }
    }

    /// What the status page lists: the most recently observed jobs, newest first, whatever their state.
    @Test(arguments: StoreKind.allCases) func latestJobsAreNewestFirst(_ kind: StoreKind) async throws {
        let store = try await makeStore(kind)
        let jobs = [Self.job(1, block: 3), Self.job(2, block: 9), Self.job(3, block: 5), Self.job(4, block: 9)]
        try await store.commit(ScanBatch(blocks: Self.blocks(3...9), jobs: jobs, nextBlock: 10))
        try await store.transition(jobs[0].key, to: .executing, JobChanges())
        #expect(try await store.latestJobs(limit: 3).map(\.key) == [jobs[3].key, jobs[1].key, jobs[2].key])
        #expect(try await store.latestJobs(limit: 10).count == 4)
    }

    @Test(arguments: StoreKind.allCases) func scanCommitsJobsBlocksAndCursorTogether(_ kind: StoreKind) async throws {
        let store = try await makeStore(kind)
        #expect(try await store.nextBlock() == nil)
        let inserted = try await store.commit(ScanBatch(blocks: Self.blocks(1...3), jobs: [Self.job(1, block: 2), Self.job(2, block: 3)], nextBlock: 4))
        #expect(inserted.count == 2)
        #expect(try await store.nextBlock() == 4)
        #expect(try await store.recentBlocks(limit: 2).map(\.number) == [3, 2])
        let again = try await store.commit(ScanBatch(blocks: [], jobs: [Self.job(1, block: 2)], nextBlock: 4))
        #expect(again.isEmpty, "a job seen twice is stored once")
        #expect(try await store.countsByState() == [.observed: 2])
    }

    @Test(arguments: StoreKind.allCases) func transitionsAreIdempotentAndOrdered(_ kind: StoreKind) async throws {
        let store = try await makeStore(kind)
        let job = Self.job(1, block: 1)
        try await store.commit(ScanBatch(blocks: Self.blocks(1...1), jobs: [job], nextBlock: 2))
        #expect(try await store.transition(job.key, to: .executed, JobChanges()) == .refused(current: .observed))
        #expect(try await store.transition(job.key, to: .executing, JobChanges(incrementAttempts: true)) == .applied)
        #expect(try await store.transition(job.key, to: .executing, JobChanges(incrementAttempts: true)) == .alreadyInState)
        let result = JobResult(
            output: [1, 2, 3], errorCode: 0, commitment: Keccak256.hash([1, 2, 3]), attestationDigest: Keccak256.hash([9]), attestationExpiry: 1_900_000_000)
        #expect(try await store.transition(job.key, to: .executed, JobChanges(result: result)) == .applied)
        #expect(try await store.transition(job.key, to: .signed, JobChanges(signature: [UInt8](repeating: 7, count: 65))) == .applied)
        let stored = try #require(try await store.job(job.key))
        #expect(stored.state == .signed)
        #expect(stored.result == result)
        #expect(stored.signature == [UInt8](repeating: 7, count: 65))
        #expect(stored.attempts == 1, "the repeated transition changed nothing")
        let missing = JobKey(requestID: .zero, role: .executor)
        #expect(try await store.transition(missing, to: .executing, JobChanges()) == .missing)
    }

    @Test(arguments: StoreKind.allCases) func rewindDropsUnsentJobsAndRechecksSentOnes(_ kind: StoreKind) async throws {
        let store = try await makeStore(kind)
        let kept = Self.job(1, block: 5), unsent = Self.job(2, block: 7), sent = Self.job(3, block: 8)
        try await store.commit(ScanBatch(blocks: Self.blocks(5...8), jobs: [kept, unsent, sent], nextBlock: 9))
        for state in [JobState.executing, .executed, .signed, .submitted, .included] {
            try await store.transition(
                sent.key, to: state,
                JobChanges(
                    result: state == .executed ? JobResult(output: [], errorCode: 0, commitment: .zero, attestationDigest: .zero, attestationExpiry: 0) : nil,
                    transactionNonce: state == .submitted ? 4 : nil))
        }
        let outcome = try await store.rewind(toAncestor: 6)
        #expect(outcome.dropped == [unsent.key])
        #expect(outcome.recheck == [sent.key])
        #expect(try await store.job(unsent.key) == nil)
        #expect(try await store.job(sent.key)?.state == .submitted)
        #expect(try await store.job(sent.key)?.transactionNonce == 4)
        #expect(try await store.job(kept.key)?.state == .observed)
        #expect(try await store.nextBlock() == 7)
        #expect(try await store.recentBlocks(limit: 10).map(\.number) == [6, 5])
    }

    /// A transaction answering a request in an orphaned block was in an orphaned block too: the rewind
    /// makes it pending with every job it carries, in the same write (before, its row stayed `confirmed`
    /// and it was never sent again).
    @Test(arguments: StoreKind.allCases) func rewindMakesTheCarryingTransactionPendingWithAllItsJobs(_ kind: StoreKind) async throws {
        let store = try await makeStore(kind)
        let early = Self.job(1, block: 5), late = Self.job(2, block: 8)
        try await store.commit(ScanBatch(blocks: Self.blocks(5...8), jobs: [early, late], nextBlock: 9))
        for job in [early, late] {
            try await store.transition(job.key, to: .executing, JobChanges())
            try await store.transition(
                job.key, to: .executed,
                JobChanges(
                    result: JobResult(
                        output: [], errorCode: 0, commitment: .zero,
                        attestationDigest: .zero, attestationExpiry: 0)))
            try await store.transition(job.key, to: .signed, JobChanges(signature: [1]))
        }
        let transaction = OutgoingTransaction(nonce: 0, hash: Self.hash(100), raw: [1], maxFeePerGas: 1, maxPriorityFeePerGas: 1, sentAtBlock: 8)
        #expect(try await store.recordSubmission(transaction, jobs: [early.key, late.key]))
        try await store.markIncluded(nonce: 0, hash: transaction.hash, in: BlockRef(number: 9, hash: Self.hash(9)))
        try await store.markConfirmed(nonce: 0)
        #expect(try await store.inclusions(since: 9).map(\.nonce) == [0])
        _ = try await store.rewind(toAncestor: 6)
        #expect(try await store.outgoing(in: [.pending]).map(\.nonce) == [0])
        #expect(try await store.inclusions(since: 0).isEmpty)
        #expect(try await store.job(early.key)?.state == .submitted, "a job of the same transaction from a surviving block too")
        #expect(try await store.job(late.key)?.state == .submitted)
    }

    /// The duty scanner's rewind reopens the results an orphaned event had ended, and only those.
    @Test(arguments: StoreKind.allCases) func dutyRewindReopensResultsEndedAboveTheAncestor(_ kind: StoreKind) async throws {
        let store = try await makeStore(kind)
        let endedEarly = TrackedResult(requestID: Self.hash(1), body: [1], closedAt: 5)
        let endedLate = TrackedResult(requestID: Self.hash(2), body: [2], closedAt: 9)
        let open = TrackedResult(requestID: Self.hash(3), body: [3], closedAt: nil)
        try await store.commit(DutyScan(jobs: [], tracked: [endedEarly, endedLate, open], blocks: Self.blocks(5...9), nextBlock: 10))
        #expect(try await store.recentDutyBlocks(limit: 2).map(\.number) == [9, 8])
        try await store.rewindDuties(toAncestor: 7)
        #expect(try await store.dutyCursor() == 8)
        #expect(try await store.recentDutyBlocks(limit: 10).map(\.number) == [7, 6, 5])
        #expect(Set(try await store.openTrackedResults(limit: 10).map(\.requestID)) == [Self.hash(2), Self.hash(3)])
        #expect(try await store.trackedResult(Self.hash(1))?.closedAt == 5)
    }

    @Test(arguments: StoreKind.allCases) func survivesReopening(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind, persistent: true)
        defer { fixture.remove() }
        let job = Self.job(1, block: 3)
        do {
            let store = try await fixture.open()
            try await store.commit(ScanBatch(blocks: Self.blocks(1...3), jobs: [job], nextBlock: 4))
            try await store.transition(job.key, to: .executing, JobChanges())
        }
        let reopened = try await fixture.open()
        #expect(try await reopened.nextBlock() == 4)
        #expect(try await reopened.jobs(in: [.executing], limit: 10).map(\.key) == [job.key])
    }

    @Test func failedIsReachableFromEveryLiveStateButNotFromFinal() {
        for state in JobState.allCases where state != .failed {
            #expect(JobState.failed.predecessors.contains(state) == !(state == .confirmed || state == .final))
        }
    }
}
