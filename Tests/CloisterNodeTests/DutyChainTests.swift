import CloisterClient
import Ethereum
import Foundation
import Oracle
import Secp256k1
import Testing
@testable import CloisterNode
@testable import CloisterConfiguration

/// The duty scanner and the keeper against a chain held in memory (``InMemoryDutyChain``), through the
/// duties' chain port, as the watcher and the submitter are tested: what the pure-function tests cannot
/// show — a provider that refuses wide log ranges, a reorg under a pending duty, a restart in the middle
/// of a dispute.
@Suite struct DutyChainTests {
    static let nodeID: UInt256 = 7
    static let model = Keccak256.hash(Array("model".utf8))

    /// One node's duty machinery over `chain` and `store`: a scanner, a started submitter and a keeper, as
    /// `cloister node run` assembles them.
    struct Node {
        let scanner: DutyScanner
        let keeper: DutyKeeper
        let store: SQLiteJobStore

        init(chain: InMemoryDutyChain, store: SQLiteJobStore, key: PrivateKey, maxLogRange: UInt64 = 1_000) async throws {
            let contracts = DeployedContracts(
                chain: chain, core: InMemoryDutyChain.core, arbiter: InMemoryDutyChain.arbiter,
                deploymentBlock: InMemoryDutyChain.deploymentBlock)
            let operatorAddress = Address(publicKey: key.publicKey)
            let reading = ChainSettings(
                rpcURLs: [], chainID: 31_337, deploymentFile: "", confirmations: 1, finalDepth: 64,
                pollIntervalMilliseconds: 100, maxLogRange: maxLogRange, requestTimeoutMilliseconds: 1_000)
            let submitter = Submitter(
                store: store, chain: chain,
                encoder: CloisterResultEncoder(core: InMemoryDutyChain.core, arbiter: InMemoryDutyChain.arbiter, nodeID: DutyChainTests.nodeID),
                key: key, settings: SubmitterSettings(chainID: 31_337, maxFeePerGas: 100_000_000_000, maxPriorityFeePerGas: 2_000_000_000))
            try await submitter.start()
            scanner = DutyScanner(
                contracts: contracts, store: store, nodeID: DutyChainTests.nodeID, operatorAddress: operatorAddress,
                servedModels: [DutyChainTests.model], settings: DutySettings(), reading: reading)
            keeper = DutyKeeper(
                contracts: contracts, store: store, submitter: submitter, nodeID: DutyChainTests.nodeID,
                operatorAddress: operatorAddress, settings: DutySettings())
            self.store = store
        }

        /// Scans until caught up; the reports of the scans.
        func scanAll() async throws -> [DutyReport] {
            var reports: [DutyReport] = []
            while let report = try await scanner.scan() {
                reports.append(report)
                try #require(reports.count < 500, "the scan does not come to an end")
            }
            return reports
        }
    }

    // MARK: The chain's events

    static func id(_ name: String) -> Bytes32 { Keccak256.hash(Array(name.utf8)) }

    /// The `Requested` log of request `id` for `executor`, and the request as the scanner decodes it.
    @discardableResult
    static func request(_ id: Bytes32, executor: UInt256, in block: UInt64, on chain: InMemoryDutyChain) async throws -> PendingRequest {
        let values: [ABIValue] = [
            .bytes32(id), .uint(executor), .bytes32(model), .address(Address(Array(repeating: 0xAA, count: 20))!),
            .address(.zero), .uint(0), .uint(1_000), .uint(2_000_000_000), .array([]), .bytes([]), .bytes(Array("input".utf8))
        ]
        try await chain.emit(CloisterContract.requested, values, from: InMemoryDutyChain.core, in: block)
        let topics = [CloisterContract.requested.topic, id, executor.bytes32, model]
        return try PendingRequest(topics: topics, data: ABI.encode([values[3], values[4], values[5], values[6], values[7], values[8], values[9], values[10]]))
    }

    /// The `Fulfilled` log of `id` by `executor`, and the fulfilment the core hashed.
    @discardableResult
    static func fulfil(_ id: Bytes32, executor: UInt256, commitment: Bytes32, in block: UInt64, on chain: InMemoryDutyChain) async throws -> Fulfilment {
        let at = await chain.timestamp(block)
        try await chain.emit(
            CloisterContract.fulfilled,
            [
                .bytes32(id), .uint(executor), .uint(0), .bytes32(commitment), .uint(UInt256(at)),
                .bool(true), .bytes([1]), .uint(1)
            ], from: InMemoryDutyChain.core, in: block)
        return Fulfilment(commitment: commitment, block: block, fulfilledAt: at, state: .fulfilled, verifier: .zero, status: 0, paramsVersion: 1)
    }

    /// The core's record of a result: keccak256(request ‖ fulfilment).
    static func record(_ request: PendingRequest, _ fulfilment: Fulfilment) -> Bytes32 {
        Keccak256.hash(ABI.encode([request.requestTuple, fulfilment.tuple]))
    }

    /// A new SQLite file for a store, so that a node can be started again over it.
    static func storePath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("duties-\(UUID().uuidString).sqlite").path
    }

    // MARK: Tests

    /// A provider that answers at most four blocks a query, under a node configured for a thousand: the
    /// scan, the lookups behind a jury draw (the `Requested` and `Fulfilled` logs thirty blocks back), the
    /// resampling window after a stake change and the money totals at start all shrink their ranges and
    /// complete.
    @Test func aProviderRefusingWideLogRangesIsReadInRangesItAccepts() async throws {
        let chain = InMemoryDutyChain(height: 60)
        await chain.refuseRangesOver(4)
        await chain.set(parameter: 1, to: 0)  // verifyBps: nothing sampled, the jury draw is this node's only duty
        let key = PrivateKey()
        let operatorAddress = Address(publicKey: key.publicKey)
        let disputed = Self.id("disputed")
        try await Self.request(disputed, executor: 2, in: 10, on: chain)
        let fulfilment = try await Self.fulfil(disputed, executor: 2, commitment: Self.id("posted"), in: 20, on: chain)
        try await chain.emit(
            ArbiterContract.disputeOpened,
            [
                .bytes32(disputed), .uint(2), .uint(3), .bytes32(Self.id("posted")),
                .bytes32(Self.id("other")), .uint(10)
            ], from: InMemoryDutyChain.arbiter, in: 30)
        try await chain.emit(
            ArbiterContract.jurorsDrawn,
            [
                .bytes32(disputed), .array([.uint(5), .uint(Self.nodeID), .uint(9)]),
                .uint(1_900_000_000), .uint(1)
            ], from: InMemoryDutyChain.arbiter, in: 40)
        try await chain.emit(CloisterContract.slashed, [.uint(Self.nodeID), .uint(1_000), .uint(1)], from: InMemoryDutyChain.core, in: 45)
        try await chain.emit(CloisterContract.slashed, [.uint(4), .uint(99), .uint(1)], from: InMemoryDutyChain.core, in: 45)
        try await chain.emit(CloisterContract.credited, [.address(operatorAddress), .uint(500), .uint(2)], from: InMemoryDutyChain.core, in: 46)
        try await chain.emit(CloisterContract.stakeChanged, [.uint(4), .uint(1)], from: InMemoryDutyChain.core, in: 50)

        let store = try SQLiteJobStore(path: Self.storePath())
        let node = try await Node(chain: chain, store: store, key: key)
        let reports = try await node.scanAll()

        #expect(await chain.refusals > 0, "the provider refused the node's first ranges")
        #expect(await chain.answered.allSatisfy { $0.count <= 4 })
        #expect(try await store.dutyCursor() == 60, "every block up to the head less one confirmation was read")
        #expect(reports.map(\.juryDraws).reduce(0, +) == 1)
        let juror = try #require(try await store.job(JobKey(requestID: disputed, role: .juror)))
        let context = try DutyContext(decoding: try #require(juror.context))
        #expect(context.seat == 1)
        var disputedFulfilment = fulfilment
        disputedFulfilment.state = .disputed
        #expect(context.fulfilment == disputedFulfilment, "the Fulfilled log twenty blocks before the draw was found")
        #expect(try PendingRequest(stored: juror.request).node == 2, "and the Requested log thirty blocks before it")
        #expect(reports.reduce(UInt256.zero) { $0 + $1.slashedWei } == 1_000, "only this node's slash")

        let totals = try await DutyTotals.restore(
            contracts: node.scanner.contracts, store: store, nodeID: Self.nodeID, operatorAddress: operatorAddress,
            through: 59, head: 61, finalDepth: 8, maxRange: 1_000)
        #expect(totals.slashedWei == 1_000)
        #expect(totals.creditedWei == ["verifier_fee": 500])
        #expect(await chain.answered.allSatisfy { $0.count <= 4 })
    }

    /// A reorg under a pending verifier job and a settled result: the scan rewinds to the common
    /// ancestor, reads the new branch, and leaves one verifier job (not a second for the re-included
    /// fulfilment); the result fulfilled below the fork whose `Settled` log was orphaned is followed again,
    /// and the keeper settles it.
    @Test func aReorgUnderAPendingDutyRewindsTheScanWithoutDuplicatingTheDuty() async throws {
        let chain = InMemoryDutyChain(height: 20)
        await chain.set(parameter: 1, to: 10_000)  // verifyBps: every result may be sampled
        await chain.set(parameter: 2, to: 2)  // verifyWindowBlocks
        await chain.set(parameter: 3, to: 0)  // challengeWindow: this node's results may be settled at once
        let sampled = Self.id("sampled"), ours = Self.id("ours")
        await chain.set(sampledVerifier: Self.nodeID, for: sampled)
        await chain.set(sampledVerifier: 9, for: ours)
        try await Self.request(sampled, executor: 2, in: 5, on: chain)
        let request = try await Self.request(ours, executor: Self.nodeID, in: 6, on: chain)
        let fulfilment = try await Self.fulfil(ours, executor: Self.nodeID, commitment: Self.id("mine"), in: 9, on: chain)
        try await Self.fulfil(sampled, executor: 2, commitment: Self.id("theirs"), in: 12, on: chain)
        try await chain.emit(
            CloisterContract.settled, [.bytes32(ours), .uint(Self.nodeID), .uint(1), .uint(0), .uint(0), .uint(0)],
            from: InMemoryDutyChain.core, in: 16)

        let store = try SQLiteJobStore(path: Self.storePath())
        let node = try await Node(chain: chain, store: store, key: PrivateKey())
        _ = try await node.scanAll()
        let verifier = JobKey(requestID: sampled, role: .verifier)
        let before = try #require(try await store.job(verifier))
        #expect(before.state == .observed)
        #expect(try await store.trackedResult(ours)?.isOpen == false, "settled in block 16")

        // Blocks 11 on are replaced: the other node's fulfilment is included again, later, and the settlement is not.
        await chain.reorganise(from: 11, newHeight: 24)
        try await Self.fulfil(sampled, executor: 2, commitment: Self.id("theirs"), in: 14, on: chain)
        let reports = try await node.scanAll()

        #expect(reports.first?.lastProblem?.contains("rewound to block 10") == true)
        #expect(try await store.dutyCursor() == 24)
        let states: Set<JobState> = [.observed, .executing, .executed, .signed, .submitted, .included, .confirmed, .final, .failed]
        #expect(try await store.jobKeys(role: .verifier, in: states) == [verifier], "one verifier job, not one per branch")
        #expect(try await store.job(verifier)?.state == .observed)
        let tracked = try #require(try await store.trackedResult(ours))
        #expect(tracked.closedAt == nil, "its Settled log was orphaned")
        #expect(try ResultRecord(tracked: tracked).fulfilment == fulfilment)

        await chain.set(record: Self.record(request, fulfilment), for: ours)
        let pass = try await node.keeper.pass()
        #expect(pass.actions["settle"] == 1)
        let settle = try #require(await chain.calls(to: CloisterContract.settle).first)
        let arguments = try CloisterContract.settle.decodeCall(settle.data)
        #expect(try arguments[1].asElements()[1].asUInt() == 9, "the result fulfilled in block 9")
    }

    /// A node stopped after its keeper asked for a jury, and started again over the same store while the
    /// dispute goes on: the new scanner reads on from the stored cursor, the new keeper does not ask for
    /// the jury a second time, and the upheld result is settled once.
    @Test func aRestartInTheMiddleOfADisputePicksUpWhereItWas() async throws {
        let chain = InMemoryDutyChain(height: 14)
        await chain.set(parameter: 1, to: 0)  // verifyBps
        await chain.set(parameter: 3, to: 0)  // challengeWindow
        let key = PrivateKey()
        let disputed = Self.id("disputed")
        let request = try await Self.request(disputed, executor: Self.nodeID, in: 5, on: chain)
        var fulfilment = try await Self.fulfil(disputed, executor: Self.nodeID, commitment: Self.id("mine"), in: 8, on: chain)
        try await chain.emit(
            ArbiterContract.disputeOpened,
            [
                .bytes32(disputed), .uint(Self.nodeID), .uint(3), .bytes32(Self.id("mine")),
                .bytes32(Self.id("challenger's")), .uint(10)
            ], from: InMemoryDutyChain.arbiter, in: 12)
        await chain.set(dispute: .init(challenger: 3, bond: 10, openedBlock: 12), for: disputed)
        let path = Self.storePath()

        let cursor: UInt64
        do {
            let node = try await Node(chain: chain, store: try SQLiteJobStore(path: path), key: key)
            _ = try await node.scanAll()
            #expect(try await node.keeper.pass().actions["drawJurors"] == 1)
            cursor = try #require(try await node.store.dutyCursor())
        }
        #expect(await chain.calls(to: ArbiterContract.drawJurors).count == 1)

        // Started again over the same store, before the jury is drawn: the request is still pending.
        let restarted = try await Node(chain: chain, store: try SQLiteJobStore(path: path), key: key)
        #expect(try await restarted.keeper.pass().actions["drawJurors"] == nil)
        #expect(await chain.calls(to: ArbiterContract.drawJurors).count == 1, "the pending drawJurors is re-sent as it was, not again")

        // The jury is drawn (not this node) and upholds the result.
        let queried = await chain.answered.count
        try await chain.emit(
            ArbiterContract.jurorsDrawn, [.bytes32(disputed), .array([.uint(4), .uint(5), .uint(6)]), .uint(1_900_000_000), .uint(1)],
            from: InMemoryDutyChain.arbiter, in: 15)
        try await chain.emit(
            ArbiterContract.disputeResolved,
            [
                .bytes32(disputed), .bytes32(Self.id("mine")), .bool(false), .uint(10),
                .array([.uint(4), .uint(5), .uint(6)])
            ], from: InMemoryDutyChain.arbiter, in: 17)
        await chain.mine(to: 19)
        await chain.set(
            dispute: .init(
                challenger: 3, bond: 10, openedBlock: 12, deadline: 1_900_000_000, rounds: 1,
                jurors: [4, 5, 6], votes: Array(repeating: Self.id("mine"), count: 3), resolved: true), for: disputed)
        fulfilment.state = .upheld
        await chain.set(record: Self.record(request, fulfilment), for: disputed)
        _ = try await restarted.scanAll()

        #expect(await chain.answered[queried].lowerBound == cursor, "the new scanner reads on from the stored cursor")
        #expect(try await restarted.store.jobKeys(role: .juror, in: [.observed]).isEmpty, "this node was not drawn")
        let tracked = try ResultRecord(tracked: try #require(try await restarted.store.trackedResult(disputed)))
        #expect(tracked.fulfilment.state == .upheld)
        #expect(tracked.parts == [.executor])
        #expect(try await restarted.keeper.pass().actions["settle"] == 1)
        #expect(await chain.calls(to: ArbiterContract.drawJurors).count == 1)
        let settles = await chain.calls(to: CloisterContract.settle)
        #expect(settles.count == 1)
        #expect(settles.first?.nonce == 1, "after the drawJurors transaction's nonce, not over it")
        #expect(try await restarted.keeper.pass().actions["settle"] == nil, "the settlement is pending: not sent twice")
    }
}
