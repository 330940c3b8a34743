import Ethereum
import Foundation
import Secp256k1
import Testing
@testable import Oracle

/// Calls without results (settling, juries, withdrawals) share the results' nonce discipline, and the
/// duty scanner's state commits atomically and survives a restart.
@Suite struct DutySubmissionTests {
    static let target = Address(Array(repeating: 0xDD, count: 20))!

    @Test(arguments: StoreKind.allCases) func aCallIsRecordedUnderTheNextNonceAndPendingByPurposeUntilIncluded(_ kind: StoreKind) async throws {
        let store = try await makeStore(kind), chain = InMemoryMempool(), key = PrivateKey()
        _ = try await SubmitterTests.signedJobs(2, store: store)
        let submitter = SubmitterTests.submitter(store, chain, key: key)
        try await submitter.start()
        #expect(try await submitter.runPass().sent == 1, "the two results in one batch, nonce 0")
        let outcome = try await submitter.submit(OutgoingCall(to: Self.target, data: [1, 2, 3], value: 5, purpose: "settle:ab"))
        #expect(outcome == .sent(nonce: 1))
        #expect(try await submitter.pendingPurposes() == ["settle:ab"])
        await chain.mine()
        _ = try await submitter.runPass()
        #expect(try await submitter.pendingPurposes().isEmpty)
        #expect(await chain.nonceOnChain == 2, "no gap between results and calls")
    }

    @Test(arguments: StoreKind.allCases) func concurrentCallsTakeConsecutiveNonces(_ kind: StoreKind) async throws {
        let store = try await makeStore(kind), chain = InMemoryMempool(), key = PrivateKey()
        let submitter = SubmitterTests.submitter(store, chain, key: key)
        try await submitter.start()
        async let first = submitter.submit(OutgoingCall(to: Self.target, data: [1], purpose: "a"))
        async let second = submitter.submit(OutgoingCall(to: Self.target, data: [2], purpose: "b"))
        async let third = submitter.submit(OutgoingCall(to: Self.target, data: [3], purpose: "c"))
        let outcomes = try await [first, second, third]
        #expect(Set(outcomes) == [.sent(nonce: 0), .sent(nonce: 1), .sent(nonce: 2)])
        #expect(try await submitter.pendingPurposes() == ["a", "b", "c"])
    }

    @Test(arguments: StoreKind.allCases) func aCallThatWouldRevertIsNotSent(_ kind: StoreKind) async throws {
        let store = try await makeStore(kind), chain = InMemoryMempool(), key = PrivateKey()
        let submitter = SubmitterTests.submitter(store, chain, key: key)
        try await submitter.start()
        await chain.failEstimate(for: [9])
        guard case .wouldRevert = try await submitter.submit(OutgoingCall(to: Self.target, data: [9], purpose: "resolve:01")) else {
            Issue.record("expected wouldRevert")
            return
        }
        #expect(try await store.highestNonce() == nil, "nothing recorded, so no nonce is used")
        #expect(try await submitter.submit(OutgoingCall(to: Self.target, data: [8], purpose: nil)) == .sent(nonce: 0))
    }

    @Test(arguments: StoreKind.allCases) func aResultThatNeedsNoTransactionEndsFinal(_ kind: StoreKind) async throws {
        let store = try await makeStore(kind), chain = InMemoryMempool(), key = PrivateKey()
        let job = Job(
            key: JobKey(requestID: Keccak256.hash([1]), role: .challenger), model: .zero, request: Array("agree;".utf8),
            observedIn: BlockRef(number: 1, hash: .zero), logIndex: 0, deadline: .max / 2)
        try await store.commit(ScanBatch(blocks: [], jobs: [job], nextBlock: 2))
        try await store.transition(job.key, to: .executing, JobChanges())
        try await store.transition(
            job.key, to: .executed, JobChanges(result: JobResult(output: [1], errorCode: 0, commitment: .zero, attestationDigest: .zero, attestationExpiry: 0)))
        try await store.transition(job.key, to: .signed, JobChanges(signature: [UInt8](repeating: 2, count: 65)))
        let submitter = SubmitterTests.submitter(store, chain, key: key)
        try await submitter.start()
        #expect(try await submitter.runPass().sent == 0)
        #expect(try await store.job(job.key)?.state == .final)
    }

    @Test(arguments: StoreKind.allCases) func aDutyScanCommitsJobsTrackedResultsAndCursorTogetherAndSurvivesARestart(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind, persistent: true)
        defer { fixture.remove() }
        var verification = Job(
            key: JobKey(requestID: Keccak256.hash([1]), role: .verifier), model: .zero, request: [1],
            observedIn: BlockRef(number: 7, hash: Keccak256.hash([7])), logIndex: 3, deadline: 100)
        verification.context = [4, 5, 6]
        do {
            let store = try await fixture.open()
            #expect(try await store.dutyCursor() == nil)
            try await store.commit(
                DutyScan(
                    jobs: [verification],
                    tracked: [
                        TrackedResult(requestID: Keccak256.hash([1]), body: [1], closedAt: nil),
                        TrackedResult(requestID: Keccak256.hash([2]), body: [2], closedAt: 7)
                    ], nextBlock: 8))
            var again = verification
            again.context = [9]
            try await store.commit(DutyScan(jobs: [again], tracked: [TrackedResult(requestID: Keccak256.hash([1]), body: [3], closedAt: nil)], nextBlock: 9))
        }
        let reopened = try await fixture.open()
        #expect(try await reopened.dutyCursor() == 9)
        #expect(try await reopened.job(verification.key)?.context == [4, 5, 6], "a known job is left as it is")
        #expect(try await reopened.openTrackedResults(limit: 10) == [TrackedResult(requestID: Keccak256.hash([1]), body: [3], closedAt: nil)])
        #expect(try await reopened.trackedResult(Keccak256.hash([2]))?.isOpen == false)
        #expect(try await reopened.jobKeys(role: .verifier, in: [.observed]) == [verification.key])
        #expect(try await reopened.jobKeys(role: .challenger, in: [.observed]).isEmpty)
        #expect(try await reopened.failedDutyCount() == 0)
        try await reopened.transition(verification.key, to: .failed, JobChanges(failureReason: "verify: window closed"))
        #expect(try await reopened.failedDutyCount() == 1)
    }

    @Test(arguments: StoreKind.allCases) func theMoneyTotalsCheckpointSurvivesARestartAndIsReplacedWhole(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind, persistent: true)
        defer { fixture.remove() }
        var totals = DutyReport()
        totals.slashed(UInt256(10_000_000_000_000_000))
        totals.credit(try UInt256(parsing: "123456789012345678901234567890"), reasonCode: 1)
        totals.credit(UInt256(7), reasonCode: 4)
        do {
            let store = try await fixture.open()
            #expect(try await store.dutyTotals() == nil)
            try await store.saveDutyTotals(DutyTotalsCheckpoint(through: 40, totals: DutyReport()))
            try await store.saveDutyTotals(DutyTotalsCheckpoint(through: 1_000_000, totals: totals))
        }
        let reopened = try await fixture.open()
        let checkpoint = try #require(try await reopened.dutyTotals())
        #expect(checkpoint.through == 1_000_000)
        #expect(checkpoint.totals == totals, "wei beyond 64 bits and every reason kept exactly")
    }
}
