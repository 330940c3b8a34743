import Ethereum
import Secp256k1
import Testing
@testable import Oracle

@Suite struct SubmitterTests {
    static func signedJobs(_ count: Int, store: any TestStore, role: JobRole = .executor) async throws -> [Job] {
        let jobs = (0..<count).map { index in
            Job(
                key: JobKey(requestID: Keccak256.hash(Array("req-\(role)-\(index)".utf8)), role: role), model: .zero,
                request: Array("r\(index);".utf8), observedIn: BlockRef(number: 1, hash: .zero), logIndex: UInt64(index), deadline: .max / 2)
        }
        try await store.commit(ScanBatch(blocks: [], jobs: jobs, nextBlock: 2))
        for job in jobs {
            try await store.transition(job.key, to: .executing, JobChanges())
            try await store.transition(
                job.key, to: .executed, JobChanges(result: JobResult(output: [1], errorCode: 0, commitment: .zero, attestationDigest: .zero, attestationExpiry: 0)))
            try await store.transition(job.key, to: .signed, JobChanges(signature: [UInt8](repeating: 2, count: 65)))
        }
        return jobs
    }

    static func submitter(
        _ store: any TestStore, _ chain: InMemoryMempool, key: PrivateKey, maxBatch: Int = 4,
        maxFee: UInt256 = 100_000_000_000
    ) -> Submitter {
        Submitter(
            store: store, chain: chain, encoder: ConcatenatingEncoder(maxBatch: maxBatch), key: key,
            settings: SubmitterSettings(
                chainID: 31337, maxFeePerGas: maxFee, maxPriorityFeePerGas: 2_000_000_000,
                replaceAfterBlocks: 2, confirmations: 2))
    }

    /// Starts `submitter`, sends every signed job one per transaction and follows them to confirmation.
    static func sendAndConfirm(_ submitter: Submitter, _ chain: InMemoryMempool, count: Int) async throws {
        try await submitter.start()
        #expect(try await submitter.runPass().sent == count)
        await chain.mine()
        #expect(try await submitter.runPass().included == count)
        for _ in 0..<3 { await chain.mine() }
        #expect(try await submitter.runPass().confirmed == count)
    }

    @Test(arguments: StoreKind.allCases) func batchesResultsAndFollowsThemToConfirmation(_ kind: StoreKind) async throws {
        let store = try await makeStore(kind), chain = InMemoryMempool(), key = PrivateKey()
        let jobs = try await Self.signedJobs(6, store: store)
        let submitter = Self.submitter(store, chain, key: key)
        try await submitter.start()
        #expect(try await submitter.runPass().sent == 2, "six results in batches of four")
        #expect(try await store.jobs(in: [.submitted], limit: 10).count == 6)
        await chain.mine()
        #expect(try await submitter.runPass().included == 2)
        await chain.mine()
        await chain.mine()
        #expect(try await submitter.runPass().confirmed == 2)
        #expect(
            try await store.jobs(in: [.confirmed], limit: 10).map(\.key).sorted { $0.requestID < $1.requestID }
                == jobs.map(\.key).sorted { $0.requestID < $1.requestID })
        #expect(await chain.nonceOnChain == 2)
    }

    /// Stuck below the base fee, the transaction is replaced under the same nonce with bumped fees.
    @Test(arguments: StoreKind.allCases) func stuckTransactionIsReplacedNotDuplicated(_ kind: StoreKind) async throws {
        let store = try await makeStore(kind), chain = InMemoryMempool(), key = PrivateKey()
        _ = try await Self.signedJobs(1, store: store)
        let submitter = Self.submitter(store, chain, key: key)
        try await submitter.start()
        #expect(try await submitter.runPass().sent == 1)
        await chain.set(baseFee: 5_000_000_000)
        await chain.mine()
        await chain.mine()
        #expect(try await submitter.runPass().replaced == 1)
        #expect(try await store.hashes(ofNonce: 0).count == 2)
        await chain.mine()
        #expect(try await submitter.runPass().included == 1)
        #expect(await chain.nonceOnChain == 1, "one nonce, one inclusion")
    }

    @Test(arguments: StoreKind.allCases) func feesAboveTheCapWait(_ kind: StoreKind) async throws {
        let store = try await makeStore(kind), chain = InMemoryMempool()
        _ = try await Self.signedJobs(1, store: store)
        await chain.set(baseFee: 200_000_000_000)
        let submitter = Self.submitter(store, chain, key: PrivateKey())
        try await submitter.start()
        let report = try await submitter.runPass()
        #expect(report.feesAboveCap)
        #expect(report.sent == 0)
        #expect(try await store.jobs(in: [.signed], limit: 10).count == 1)
    }

    /// Without funds nothing is left half-sent: the jobs stay signed and the nonce is reused later.
    @Test(arguments: StoreKind.allCases) func insufficientFundsLeavesNoGap(_ kind: StoreKind) async throws {
        let store = try await makeStore(kind), chain = InMemoryMempool()
        _ = try await Self.signedJobs(2, store: store)
        await chain.set(funds: 0)
        let submitter = Self.submitter(store, chain, key: PrivateKey(), maxBatch: 1)
        try await submitter.start()
        #expect(try await submitter.runPass().insufficientFunds)
        #expect(try await store.highestNonce() == nil)
        #expect(try await store.jobs(in: [.signed], limit: 10).count == 2)
        await chain.set(funds: 1_000_000_000_000_000_000)
        #expect(try await submitter.runPass().sent == 2)
        #expect(try await store.highestNonce() == 1)
    }

    /// A result whose call would revert fails alone; the rest of its batch is still sent.
    @Test(arguments: StoreKind.allCases) func oneRevertingResultDoesNotHoldBackItsBatch(_ kind: StoreKind) async throws {
        let store = try await makeStore(kind), chain = InMemoryMempool()
        let jobs = try await Self.signedJobs(3, store: store)
        await chain.failEstimate(for: jobs.flatMap(\.request))
        await chain.failEstimate(for: jobs[1].request)
        let submitter = Self.submitter(store, chain, key: PrivateKey())
        try await submitter.start()
        let report = try await submitter.runPass()
        #expect(report.sent == 2)
        #expect(report.refused == 1)
        #expect(try await store.job(jobs[1].key)?.state == .failed)
    }

    /// After a crash between recording and broadcasting, the restart sends the same bytes.
    @Test(arguments: StoreKind.allCases) func restartResendsWhatWasRecorded(_ kind: StoreKind) async throws {
        let store = try await makeStore(kind), chain = InMemoryMempool(), key = PrivateKey()
        _ = try await Self.signedJobs(1, store: store)
        let first = Self.submitter(store, chain, key: key)
        try await first.start()
        _ = try await first.runPass()
        await chain.dropPool()
        let restarted = Self.submitter(store, chain, key: key)
        try await restarted.start()
        #expect(await chain.poolSize == 1)
        await chain.mine()
        #expect(try await restarted.runPass().included == 1)
    }

    /// An inclusion orphaned by a reorg whose new branch dropped the transaction: once the chain has
    /// grown past the old block (another hash at that height), it is pending again and re-sent.
    @Test(arguments: StoreKind.allCases) func reorganisedInclusionIsFollowedAgain(_ kind: StoreKind) async throws {
        let store = try await makeStore(kind), chain = InMemoryMempool()
        let jobs = try await Self.signedJobs(1, store: store)
        let submitter = Self.submitter(store, chain, key: PrivateKey())
        try await submitter.start()
        _ = try await submitter.runPass()
        await chain.mine()
        #expect(try await submitter.runPass().included == 1)
        await chain.reorganise(above: 100, resubmit: false)
        #expect(try await submitter.runPass().orphaned == 0, "a head below the inclusion is 'not yet', not a reorg")
        #expect(try await store.job(jobs[0].key)?.state == .included)
        await chain.mine()
        #expect(try await submitter.runPass().orphaned == 1)
        #expect(try await store.job(jobs[0].key)?.state == .submitted)
        #expect(await chain.poolSize == 1, "the orphaned bytes are back in the pool")
        await chain.mine()
        #expect(try await submitter.runPass().included == 1)
        #expect(await chain.nonceOnChain == 1)
    }

    /// The incident of the fault campaign: confirmed transactions, then a reorg deeper than the
    /// confirmations that drops them. Every nonce is sent again, in order, and the jobs end confirmed
    /// again; nothing waits behind a gap.
    @Test(arguments: StoreKind.allCases) func confirmedTransactionsOrphanedByADeepReorgAreSentAgainWithTheirNonces(_ kind: StoreKind) async throws {
        let store = try await makeStore(kind), chain = InMemoryMempool()
        let jobs = try await Self.signedJobs(3, store: store)
        let submitter = Self.submitter(store, chain, key: PrivateKey(), maxBatch: 1)
        try await Self.sendAndConfirm(submitter, chain, count: 3)
        await chain.reorganise(above: 100, resubmit: false)
        for _ in 0..<6 { await chain.mine() }
        #expect(await chain.nonceOnChain == 0)
        #expect(try await submitter.runPass().orphaned == 3)
        await chain.mine()
        #expect(try await submitter.runPass().included == 3)
        for _ in 0..<2 { await chain.mine() }
        #expect(try await submitter.runPass().confirmed == 3)
        #expect(await chain.nonceOnChain == 3)
        #expect(try await store.jobs(in: [.confirmed], limit: 10).count == jobs.count)
    }

    /// A node that was down while its transactions were orphaned: the restart finds the store ahead of
    /// the chain's nonce and re-sends from there (before, the gap survived restarts).
    @Test(arguments: StoreKind.allCases) func aRestartHealsTheGapAnOrphanedTransactionLeft(_ kind: StoreKind) async throws {
        let store = try await makeStore(kind), chain = InMemoryMempool(), key = PrivateKey()
        _ = try await Self.signedJobs(2, store: store)
        try await Self.sendAndConfirm(Self.submitter(store, chain, key: key, maxBatch: 1), chain, count: 2)
        await chain.reorganise(above: 100, resubmit: false)
        let restarted = Self.submitter(store, chain, key: key, maxBatch: 1)
        try await restarted.start()
        #expect(await chain.poolSize == 2)
        #expect(try await store.outgoing(in: [.pending]).map(\.nonce) == [0, 1])
        await chain.mine()
        #expect(try await restarted.runPass().included == 2)
        #expect(await chain.nonceOnChain == 2)
    }

    /// A reverted transaction holds a nonce too: orphaned, it is sent again, and its jobs wait for the
    /// new inclusion's verdict.
    @Test(arguments: StoreKind.allCases) func anOrphanedRevertedTransactionIsSentAgain(_ kind: StoreKind) async throws {
        let store = try await makeStore(kind), chain = InMemoryMempool()
        let jobs = try await Self.signedJobs(1, store: store)
        await chain.revert(calldata: jobs[0].request)
        let submitter = Self.submitter(store, chain, key: PrivateKey())
        try await submitter.start()
        _ = try await submitter.runPass()
        await chain.mine()
        #expect(try await submitter.runPass().reverted == 1)
        #expect(try await store.job(jobs[0].key)?.state == .failed)
        await chain.reorganise(above: 100, resubmit: false)
        await chain.mine()
        await chain.mine()
        #expect(try await submitter.runPass().orphaned == 1)
        #expect(try await store.job(jobs[0].key)?.state == .submitted)
        await chain.stopReverting(calldata: jobs[0].request)
        await chain.mine()
        #expect(try await submitter.runPass().included == 1)
        #expect(await chain.nonceOnChain == 1)
    }

    /// A lagging endpoint (no header for recent blocks, a stale head) neither orphans nor re-sends.
    @Test(arguments: StoreKind.allCases) func aLaggingEndpointIsNotAReorg(_ kind: StoreKind) async throws {
        let store = try await makeStore(kind), chain = InMemoryMempool()
        let jobs = try await Self.signedJobs(1, store: store)
        let submitter = Self.submitter(store, chain, key: PrivateKey())
        try await submitter.start()
        _ = try await submitter.runPass()
        await chain.mine()
        #expect(try await submitter.runPass().included == 1)
        for _ in 0..<4 { await chain.mine() }
        #expect(try await submitter.runPass().confirmed == 1)
        await chain.set(lag: 3)
        let broadcasts = await chain.broadcasts
        let report = try await submitter.runPass()
        #expect(report.orphaned == 0)
        #expect(await chain.broadcasts == broadcasts)
        #expect(try await store.job(jobs[0].key)?.state == .confirmed)
    }

    /// A gas estimate that fails without saying "reverts" (a timeout, a 503) is asked again next pass;
    /// only a revert fails the job. (Before, any estimation error failed a single job for good.)
    @Test(arguments: StoreKind.allCases) func aTransientEstimateFailureWaitsInsteadOfFailingTheJob(_ kind: StoreKind) async throws {
        let store = try await makeStore(kind), chain = InMemoryMempool()
        let jobs = try await Self.signedJobs(1, store: store)
        await chain.failEstimatesTransiently(2)
        let submitter = Self.submitter(store, chain, key: PrivateKey())
        try await submitter.start()
        for _ in 0..<2 {
            let report = try await submitter.runPass()
            #expect(report.sent == 0 && report.refused == 0)
            #expect(report.estimateUnavailable != nil)
            #expect(try await store.job(jobs[0].key)?.state == .signed)
        }
        #expect(try await submitter.runPass().sent == 1)
        await chain.mine()
        #expect(try await submitter.runPass().included == 1)
    }
}

/// Gas limits from the encoder's bound: one simulation instead of an estimate's search.
@Suite struct GasBoundTests {
    /// `ConcatenatingEncoder` with a gas bound of `bound` per transaction.
    struct BoundedEncoder: FulfilmentEncoder {
        let inner = ConcatenatingEncoder(maxBatch: 4)
        let bound: UInt64
        var maxBatch: Int { inner.maxBatch }
        func contract(for role: JobRole) -> Address { inner.contract(for: role) }
        func canBatch(_ job: Job) -> Bool { inner.canBatch(job) }
        func needsTransaction(_ job: Job) -> Bool { inner.needsTransaction(job) }
        func calldata(for jobs: [Job]) throws -> [UInt8] { try inner.calldata(for: jobs) }
        func value(for jobs: [Job]) -> UInt256 { inner.value(for: jobs) }
        func gasBound(for jobs: [Job]) -> UInt64? { bound }
    }

    static func send(bound: UInt64, revert: Bool = false) async throws -> (InMemoryMempool, any TestStore, [Job]) {
        let store = try await makeStore(.sqlite), chain = InMemoryMempool()
        let jobs = try await SubmitterTests.signedJobs(3, store: store)
        let data = jobs.flatMap(\.request)
        if revert { await chain.failEstimate(for: data) }
        let submitter = Submitter(
            store: store, chain: chain, encoder: BoundedEncoder(bound: bound), key: PrivateKey(),
            settings: SubmitterSettings(chainID: 31337, maxFeePerGas: 100_000_000_000, maxPriorityFeePerGas: 2_000_000_000))
        try await submitter.start()
        _ = try await submitter.runPass()
        await chain.mine()
        _ = try await submitter.runPass()
        return (chain, store, jobs)
    }

    @Test func aBoundThatWorksIsTheGasLimitAndNothingIsEstimated() async throws {
        let (chain, store, jobs) = try await Self.send(bound: 400_000)
        #expect(await chain.simulations == 1)
        #expect(await chain.estimates == 0)
        #expect(try await store.jobs(in: [.included], limit: 10).count == 3)
        let sent = try #require(await chain.minedTransactions.first)
        #expect(sent.transaction.transaction.gasLimit == 400_000)
        #expect(InMemoryMempool.gasNeeded(jobs.flatMap(\.request)) < 400_000)
    }

    /// Too low a bound costs one simulation more, never a failed job or a transaction that runs out of gas.
    @Test func aBoundTooLowFallsBackToTheEstimate() async throws {
        let (chain, store, jobs) = try await Self.send(bound: 50_000)
        #expect(await chain.simulations == 1)
        #expect(await chain.estimates == 1)
        let sent = try #require(await chain.minedTransactions.first)
        #expect(sent.transaction.transaction.gasLimit == InMemoryMempool.gasNeeded(jobs.flatMap(\.request)) * 120 / 100)
        #expect(try await store.jobs(in: [.included], limit: 10).count == 3)
    }

    /// A call that reverts is still told apart by the estimate: the batch is split and each job fails alone.
    @Test func aRevertingCallIsStillRefusedByTheEstimate() async throws {
        let (chain, store, _) = try await Self.send(bound: 400_000, revert: true)
        #expect(await chain.estimates >= 1)
        #expect(await chain.minedTransactions.count == 3, "the batch reverts as a whole; each result alone does not")
        #expect(try await store.jobs(in: [.included], limit: 10).count == 3)
    }
}
