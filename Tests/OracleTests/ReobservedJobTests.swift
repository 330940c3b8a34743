import Ethereum
import Foundation
import Testing
@testable import Oracle

/// A request seen again on a new branch after a reorg: a job kept because its result had been sent
/// starts over when its transaction reverted meanwhile or when the id now names another request,
/// and otherwise only moves to its new block.
@Suite struct ReobservedJobTests {
    /// A store holding `job` (from block 8) sent in transaction nonce 4, then rewound to block 6.
    func sentThenRewound(_ job: Job, on kind: StoreKind) async throws -> any TestStore {
        let store = try await makeStore(kind)
        try await store.commit(ScanBatch(blocks: JobStoreTests.blocks(5...8), jobs: [job], nextBlock: 9))
        for state in [JobState.executing, .executed, .signed, .submitted] {
            try await store.transition(
                job.key, to: state,
                JobChanges(
                    result: state == .executed ? JobResult(output: [1], errorCode: 0, commitment: .zero, attestationDigest: .zero, attestationExpiry: 0) : nil,
                    signature: state == .signed ? [UInt8](repeating: 7, count: 65) : nil,
                    transactionNonce: state == .submitted ? 4 : nil))
        }
        _ = try await store.rewind(toAncestor: 6)
        return store
    }

    /// `job` as seen in block `number` of the new branch.
    func onNewBranch(_ job: Job, block number: UInt64, request: [UInt8]? = nil) -> Job {
        Job(
            key: job.key, model: job.model, request: request ?? job.request,
            observedIn: BlockRef(number: number, hash: Keccak256.hash(Array("branch-b-\(number)".utf8))), logIndex: 0, deadline: job.deadline)
    }

    @Test(arguments: StoreKind.allCases) func aRevertedResultStartsOverWhenItsRequestComesBack(_ kind: StoreKind) async throws {
        let job = JobStoreTests.job(1, block: 8)
        let store = try await sentThenRewound(job, on: kind)
        try await store.markReverted(nonce: 4, in: BlockRef(number: 9, hash: .zero), reason: "reverted: request not pending")
        #expect(try await store.job(job.key)?.state == .failed)
        let again = onNewBranch(job, block: 9)
        let inserted = try await store.commit(ScanBatch(blocks: [], jobs: [again], nextBlock: 10))
        #expect(inserted == [job.key])
        let stored = try #require(try await store.job(job.key))
        #expect(stored.state == .observed && stored.result == nil && stored.signature == nil && stored.transactionNonce == nil)
        #expect(stored.observedIn == again.observedIn && stored.failureReason == nil && stored.attempts == 0)
    }

    @Test(arguments: StoreKind.allCases) func aReusedIdStartsOverWithTheNewRequest(_ kind: StoreKind) async throws {
        let job = JobStoreTests.job(2, block: 8)
        let store = try await sentThenRewound(job, on: kind)
        let other = onNewBranch(job, block: 9, request: Array("another input".utf8))
        #expect(try await store.commit(ScanBatch(blocks: [], jobs: [other], nextBlock: 10)) == [job.key])
        let stored = try #require(try await store.job(job.key))
        #expect(stored.state == .observed && stored.request == other.request && stored.transactionNonce == nil)
        try await store.markReverted(nonce: 4, in: BlockRef(number: 9, hash: .zero), reason: "the old answer reverted")
        #expect(try await store.job(job.key)?.state == .observed, "the old transaction no longer speaks for the job")
    }

    @Test(arguments: StoreKind.allCases) func aResultInFlightOnlyMovesToTheNewBlock(_ kind: StoreKind) async throws {
        let job = JobStoreTests.job(3, block: 8)
        let store = try await sentThenRewound(job, on: kind)
        let again = onNewBranch(job, block: 9)
        #expect(try await store.commit(ScanBatch(blocks: [], jobs: [again], nextBlock: 10)).isEmpty)
        let stored = try #require(try await store.job(job.key))
        #expect(stored.state == .submitted && stored.transactionNonce == 4 && stored.observedIn == again.observedIn)
        #expect(try await store.commit(ScanBatch(blocks: [], jobs: [again], nextBlock: 10)).isEmpty, "seeing it twice changes nothing")
    }

    /// The other order of the same race (seen in tests/node as a flaky reorg test): the request comes back
    /// in block 12 while its result is still in flight, and only then does the result's transaction, mined
    /// in block 10 before the request was back, turn out reverted. The job is signed again, to be sent
    /// anew, not failed: its request is pending.
    @Test(arguments: StoreKind.allCases) func aRevertMinedBeforeTheRequestCameBackDoesNotFailIt(_ kind: StoreKind) async throws {
        let job = JobStoreTests.job(4, block: 8)
        let store = try await sentThenRewound(job, on: kind)
        #expect(try await store.commit(ScanBatch(blocks: [], jobs: [onNewBranch(job, block: 12)], nextBlock: 13)).isEmpty)
        try await store.markReverted(nonce: 4, in: BlockRef(number: 10, hash: .zero), reason: "reverted: request not pending")
        let stored = try #require(try await store.job(job.key))
        #expect(stored.state == .signed && stored.transactionNonce == nil && stored.signature != nil && stored.failureReason == nil)
        // A revert in or after the request's block is the chain's verdict on this result: it fails.
        let other = JobStoreTests.job(5, block: 8)
        let second = try await sentThenRewound(other, on: kind)
        #expect(try await second.commit(ScanBatch(blocks: [], jobs: [onNewBranch(other, block: 12)], nextBlock: 13)).isEmpty)
        try await second.markReverted(nonce: 4, in: BlockRef(number: 12, hash: .zero), reason: "reverted: already fulfilled")
        #expect(try await second.job(other.key)?.state == .failed)
    }
}
