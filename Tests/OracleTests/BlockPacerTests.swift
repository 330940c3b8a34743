import Ethereum
import Secp256k1
import Synchronization
import Testing
@testable import Oracle

/// Holding partial batches for the coming block: the rhythm learned from heads, the send point, and the
/// submitter sending what is ready at the right moment — a lone result never waits, a full batch never
/// waits, nothing waits past the send point or on a chain without a steady rhythm.
@Suite struct BlockPacerTests {
    static let start = ContinuousClock.now

    /// A pacer that saw `heads` consecutive heads `gap` apart (with the given extra delays), the last at `start`.
    static func pacer(heads: Int, gap: Duration, delays: [Duration] = [], lead: Duration = .milliseconds(500)) -> BlockPacer {
        var pacer = BlockPacer(minimumLead: lead)
        for index in 0..<heads {
            let late = index < delays.count ? delays[index] : .zero
            pacer.observe(head: 100 + UInt64(index), at: start - gap * (heads - 1 - index) + late)
        }
        return pacer
    }

    @Test func aSteadyRhythmGivesTheIntervalAndASendPointBeforeTheNextBlock() {
        let pacer = Self.pacer(heads: 6, gap: .seconds(2))
        #expect(pacer.blockInterval == .seconds(2))
        #expect(pacer.sendPoint == Self.start + .milliseconds(1_500))  // a quarter of 2 s is 500 ms, the minimum
        #expect(pacer.mayHold(moreComing: true, now: Self.start + .milliseconds(1_400)))
        #expect(!pacer.mayHold(moreComing: true, now: Self.start + .milliseconds(1_500)))
        #expect(!pacer.mayHold(moreComing: false, now: Self.start + .milliseconds(10)), "a lone result is never held")
        let slow = Self.pacer(heads: 6, gap: .seconds(12))
        #expect(slow.sendPoint == Self.start + .seconds(9), "a quarter of 12 s ahead of the block")
    }

    @Test func theRhythmIsUnknownUntilFourHeadsAndAfterAnyBreakInIt() {
        #expect(Self.pacer(heads: 3, gap: .seconds(2)).blockInterval == nil)
        #expect(Self.pacer(heads: 4, gap: .seconds(2)).blockInterval == .seconds(2))
        var skipped = Self.pacer(heads: 6, gap: .seconds(2))
        skipped.observe(head: 107, at: Self.start + .seconds(4))  // head 106 was never seen
        #expect(skipped.blockInterval == nil && !skipped.mayHold(moreComing: true, now: Self.start + .seconds(4)))
        var reorged = Self.pacer(heads: 6, gap: .seconds(2))
        reorged.observe(head: 103, at: Self.start + .seconds(2))
        #expect(reorged.blockInterval == nil)
        var repeated = Self.pacer(heads: 6, gap: .seconds(2))
        repeated.observe(head: 105, at: Self.start + .milliseconds(900))  // the same head seen again
        #expect(repeated.sendPoint == Self.start + .milliseconds(1_500))
    }

    /// Automine, or a sequencer that stalls: gaps far from their median mean no holding at all.
    @Test func anIrregularChainIsNeverWaitedFor() {
        let automine = Self.pacer(heads: 6, gap: .milliseconds(300), delays: [.zero, .milliseconds(250), .zero, .milliseconds(2_000)])
        #expect(automine.blockInterval == nil)
        #expect(!automine.mayHold(moreComing: true, now: Self.start))
        let jitter = Self.pacer(heads: 6, gap: .seconds(2), delays: [.zero, .milliseconds(200), .zero, .milliseconds(-150)])
        #expect(jitter.blockInterval == .seconds(2), "polling's jitter is within a quarter of the gap")
    }

    /// A clock the submitter test moves by hand.
    final class Clock: Sendable {
        private let instant = Mutex(BlockPacerTests.start)
        func advance(by duration: Duration) { instant.withLock { $0 += duration } }
        var now: @Sendable () -> ContinuousClock.Instant { { self.instant.withLock { $0 } } }
    }

    /// The submitter on a chain with 2 s blocks: results signed while others are still being computed go
    /// together at the send point; full batches and the last results of a burst go at once.
    @Test func theSubmitterSendsWhatIsReadyWhenTheBlockIsAboutToBeBuilt() async throws {
        let store = try SQLiteJobStore(), chain = InMemoryMempool(), clock = Clock()
        let submitter = Submitter(
            store: store, chain: chain, encoder: ConcatenatingEncoder(maxBatch: 4), key: PrivateKey(),
            settings: SubmitterSettings(
                chainID: 31337, maxFeePerGas: 100_000_000_000,
                maxPriorityFeePerGas: 2_000_000_000),
            now: clock.now)
        try await submitter.start()
        for _ in 0..<5 {  // the rhythm: a head every 2 s
            await chain.mine()
            _ = try await submitter.runPass()
            clock.advance(by: .seconds(2))
        }
        await chain.mine()
        _ = try await submitter.runPass()  // the last head was seen just now; the next is due in 2 s
        let jobs = try await SubmitterTests.signedJobs(2, store: store)
        let computing = Job(
            key: JobKey(requestID: Keccak256.hash(Array("still computing".utf8)), role: .executor), model: .zero,
            request: Array("c;".utf8), observedIn: BlockRef(number: 1, hash: .zero), logIndex: 9, deadline: .max / 2)
        try await store.commit(ScanBatch(blocks: [], jobs: [computing], nextBlock: 3))

        clock.advance(by: .milliseconds(300))
        var pass = try await submitter.runPass()
        #expect(pass.sent == 0 && pass.held == 2, "two results wait while a third is computed")
        clock.advance(by: .milliseconds(1_100))
        pass = try await submitter.runPass()
        #expect(pass.sent == 0 && pass.held == 2)
        clock.advance(by: .milliseconds(150))  // 1.55 s after the head: past the send point
        pass = try await submitter.runPass()
        #expect(pass.sent == 1 && pass.held == 0)
        #expect(
            try await store.jobs(in: [.submitted], limit: 10).map(\.key).sorted { $0.requestID < $1.requestID }
                == jobs.map(\.key).sorted { $0.requestID < $1.requestID })

        // Next block: a full batch goes at once, though more is being computed.
        await chain.mine()
        clock.advance(by: .milliseconds(450))
        _ = try await submitter.runPass()
        _ = try await SubmitterTests.signedJobs(4, store: store, role: .verifier)
        clock.advance(by: .milliseconds(100))
        pass = try await submitter.runPass()
        #expect(pass.sent == 1 && pass.held == 0)

        // The computing job finishes: with nothing more coming, what is ready goes at once.
        _ = try await SubmitterTests.signedJobs(1, store: store, role: .juror)
        clock.advance(by: .milliseconds(100))
        #expect(try await submitter.runPass().held == 1)
        try await store.transition(computing.key, to: .failed, JobChanges(failureReason: "test"))
        pass = try await submitter.runPass()
        #expect(pass.sent == 1 && pass.held == 0)
    }
}
