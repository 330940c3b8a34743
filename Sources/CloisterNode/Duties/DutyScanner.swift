import ChainClient
import CloisterClient
import Ethereum
import Oracle

/// Reads the core's and the arbiter's events behind the watcher and turns them into this node's duties:
/// a verifier job when the arbiter samples this node, a juror job when it is drawn, a challenger job when
/// the challenge policy picks another node's result; and it follows every result this node is party to
/// (fulfilment, verification, dispute, resolution, settlement) in tracked results for the keeper.
///
/// Duty jobs, tracked results and the cursor of one scan commit in one database transaction.
struct DutyScanner: Sendable {
    typealias Store = JobStore & DutyStore

    let client: ChainClient
    let deployment: Deployment
    let store: any Store
    let nodeID: UInt256
    let operatorAddress: Address
    /// Models this node serves (the arbiter draws verifiers and jurors among nodes serving the model).
    let servedModels: Set<Bytes32>
    let settings: DutySettings

    static let coreEvents = [CloisterContract.fulfilled, CloisterContract.settled, CloisterContract.slashed, CloisterContract.credited,
                             CloisterContract.stakeChanged, CloisterContract.nodeStatusChanged, CloisterContract.nodeRegistered]
    /// Events that change the stake weights the arbiter draws verifiers by.
    static let weightEvents: Set<Bytes32> = [CloisterContract.stakeChanged.topic, CloisterContract.nodeStatusChanged.topic,
                                             CloisterContract.nodeRegistered.topic]
    static let arbiterEvents = [ArbiterContract.verified, ArbiterContract.disputeOpened, ArbiterContract.jurorsDrawn,
                                ArbiterContract.disputeResolved, ArbiterContract.correctedDelivered]

    var lookup: LogLookup { LogLookup(client: client, deployment: deployment, maxRange: settings.maxLogRange) }

    /// Scans the next range of buried blocks; returns what it found, or nil when caught up.
    func scan() async throws -> DutyReport? {
        let head = try await client.blockNumber()
        let depth = max(settings.confirmations, 1)
        guard head >= depth else { return nil }
        let last = head - depth
        let first = try await store.dutyCursor() ?? deployment.deploymentBlock
        guard first <= last else { return nil }
        let end = min(last, first + settings.maxLogRange - 1)
        let filter = LogFilter(addresses: [deployment.core, deployment.arbiter],
                               topics: [(Self.coreEvents + Self.arbiterEvents).map(\.topic)],
                               range: .blocks(from: .number(first), to: .number(end)))
        let logs = try await client.getLogs(filter).filter { !$0.removed }.sorted { ($0.blockNumber, $0.logIndex) < ($1.blockNumber, $1.logIndex) }
        var scan = ScanState(parameters: try await client.parameters(in: deployment))
        for log in logs {
            try await apply(log, to: &scan)
        }
        if settings.verify, logs.contains(where: { $0.topics.first.map(Self.weightEvents.contains) ?? false }) {
            try await resample(through: end, scan: &scan)
        }
        try await store.commit(DutyScan(jobs: scan.jobs, tracked: scan.records.map { $0.value.tracked(id: $0.key, open: !scan.closed.contains($0.key)) },
                                        nextBlock: end + 1))
        return scan.report
    }

    /// What a scan gathers before committing.
    struct ScanState {
        let parameters: ProtocolParameters
        var jobs: [Job] = []
        var records: [Bytes32: ResultRecord] = [:]
        var closed: Set<Bytes32> = []
        var report = DutyReport()
    }

    private func record(_ id: Bytes32, in scan: inout ScanState) async throws -> ResultRecord? {
        if let known = scan.records[id] { return known }
        guard let tracked = try await store.trackedResult(id), tracked.isOpen else { return nil }
        let record = try ResultRecord(tracked: tracked)
        scan.records[id] = record
        return record
    }

    private func apply(_ log: Log, to scan: inout ScanState) async throws {
        guard let topic = log.topics.first else { return }
        switch topic {
        case CloisterContract.fulfilled.topic: try await fulfilled(log, scan: &scan)
        case ArbiterContract.verified.topic: try await verified(log, scan: &scan)
        case ArbiterContract.disputeOpened.topic: try await disputeOpened(log, scan: &scan)
        case ArbiterContract.jurorsDrawn.topic: try await jurorsDrawn(log, scan: &scan)
        case ArbiterContract.disputeResolved.topic: try await disputeResolved(log, scan: &scan)
        case ArbiterContract.correctedDelivered.topic, CloisterContract.settled.topic:
            if try await record(log.topics[1], in: &scan) != nil { scan.closed.insert(log.topics[1]) }
        case CloisterContract.slashed.topic:
            let values = try CloisterContract.slashed.decodeLog(topics: log.topics, data: log.data)
            if try values[0].asUInt() == nodeID { scan.report.slashed(try values[1].asUInt()) }
        case CloisterContract.credited.topic:
            let values = try CloisterContract.credited.decodeLog(topics: log.topics, data: log.data)
            if try values[0].asAddress() == operatorAddress, let reason = try values[2].asUInt().uint64 {
                scan.report.credit(try values[1].asUInt(), reasonCode: reason)
            }
        default: return
        }
    }

    // MARK: Results

    private func fulfilled(_ log: Log, scan: inout ScanState) async throws {
        let values = try CloisterContract.fulfilled.decodeLog(topics: log.topics, data: log.data)
        let id = try values[0].asBytes32(), executor = try values[1].asUInt()
        let fulfilment = Fulfilment(commitment: try values[3].asBytes32(), block: log.blockNumber,
                                    fulfilledAt: try values[4].asUInt().uint64 ?? 0, state: .fulfilled, verifier: .zero)
        if executor == nodeID {
            var request = try await store.job(JobKey(requestID: id, role: .executor))?.request
            if request == nil { request = try await lookup.request(id, before: log.blockNumber)?.stored }
            guard let request else { return }
            scan.records[id] = ResultRecord(request: request, executor: executor, fulfilment: fulfilment, parts: [.executor])
            scan.closed.remove(id)
            return
        }
        let sampled = settings.verify && Self.mightBeSampled(id: id, fulfilledBlockHash: log.blockHash, verifyBps: scan.parameters.verifyBps)
        let challenged = Self.challengePolicyPicks(id: id, nodeID: nodeID, shareBps: settings.challengeShareBps)
        guard sampled || challenged else { return }
        guard let (request, stored) = try await lookup.request(id, before: log.blockNumber), servedModels.contains(request.model) else { return }
        var record = ResultRecord(request: stored, executor: executor, fulfilment: fulfilment, parts: [])
        if sampled, try await sampledVerifier(request, fulfilment) == nodeID {
            record.parts.insert(.verifier)
            scan.jobs.append(dutyJob(.verifier, request: request, stored: stored, context: DutyContext(fulfilment: fulfilment), log: log,
                                     deadline: fulfilment.fulfilledAt + scan.parameters.challengeWindow))
            scan.report.verificationsAssigned += 1
        } else if challenged, try await mayChallenge(request, scan: &scan) {
            record.parts.insert(.challenger)
            scan.jobs.append(dutyJob(.challenger, request: request, stored: stored, context: DutyContext(fulfilment: fulfilment), log: log,
                                     deadline: fulfilment.fulfilledAt + scan.parameters.challengeWindow))
            scan.report.challengesStarted += 1
        }
        if !record.parts.isEmpty { scan.records[id] = record }
    }

    /// The arbiter draws a result's verifier from the stakes at the time of the call, so a stake change
    /// (a slash, a new node, an exit) can make this node the sampled verifier of a result it was not
    /// sampled for when it saw it. Results inside the verification window are asked again.
    private func resample(through end: UInt64, scan: inout ScanState) async throws {
        let window = scan.parameters.verifyWindowBlocks
        let from = max(deployment.deploymentBlock, end > window ? end - window : 0)
        let filter = LogFilter(addresses: [deployment.core], topics: [[CloisterContract.fulfilled.topic]],
                               range: .blocks(from: .number(from), to: .number(end)))
        for log in try await client.getLogs(filter) where !log.removed {
            let values = try CloisterContract.fulfilled.decodeLog(topics: log.topics, data: log.data)
            let id = try values[0].asBytes32(), executor = try values[1].asUInt()
            let key = JobKey(requestID: id, role: .verifier)
            guard executor != nodeID, Self.mightBeSampled(id: id, fulfilledBlockHash: log.blockHash, verifyBps: scan.parameters.verifyBps),
                  !scan.jobs.contains(where: { $0.key == key }), try await store.job(key) == nil else { continue }
            guard let (request, stored) = try await lookup.request(id, before: log.blockNumber), servedModels.contains(request.model) else { continue }
            let fulfilment = Fulfilment(commitment: try values[3].asBytes32(), block: log.blockNumber,
                                        fulfilledAt: try values[4].asUInt().uint64 ?? 0, state: .fulfilled, verifier: .zero)
            guard try await sampledVerifier(request, fulfilment) == nodeID,
                  try await client.coreHolds(id, request: request.requestTuple, fulfilment: fulfilment.tuple, in: deployment) else { continue }
            var record = try await record(id, in: &scan) ?? ResultRecord(request: stored, executor: executor, fulfilment: fulfilment, parts: [])
            record.parts.insert(.verifier)
            scan.records[id] = record
            scan.jobs.append(dutyJob(.verifier, request: request, stored: stored, context: DutyContext(fulfilment: fulfilment), log: log,
                                     deadline: fulfilment.fulfilledAt + scan.parameters.challengeWindow))
            scan.report.verificationsAssigned += 1
        }
    }

    /// The arbiter's first test, done locally so that most results cost no call:
    /// `keccak256(blockhash(fulfilledBlock) ‖ id) mod 10000 < verifyBps`.
    static func mightBeSampled(id: Bytes32, fulfilledBlockHash: Bytes32, verifyBps: UInt64) -> Bool {
        basisPoints(of: Keccak256.hash(fulfilledBlockHash.bytes + id.bytes)) < verifyBps
    }

    /// Whether this node's challenge policy re-executes result `id`: `keccak256(id ‖ nodeID) mod 10000 < shareBps`.
    static func challengePolicyPicks(id: Bytes32, nodeID: UInt256, shareBps: UInt64) -> Bool {
        guard shareBps > 0 else { return false }
        return basisPoints(of: Keccak256.hash(id.bytes + nodeID.bytes32.bytes)) < shareBps
    }

    /// `uint256(word) mod 10000`.
    static func basisPoints(of word: Bytes32) -> UInt64 {
        let remainder = (try? UInt256(word).quotientAndRemainder(dividingBy: 10_000).remainder) ?? .zero
        return remainder.uint64 ?? 0
    }

    private func sampledVerifier(_ request: PendingRequest, _ fulfilment: Fulfilment) async throws -> UInt256 {
        let data = try ArbiterContract.sampledVerifier.encodeCall([request.requestTuple, fulfilment.tuple,
                                                                   .array(request.recipients.map(ABIValue.uint))])
        let output = try await client.call(CallRequest(to: deployment.arbiter, data: data))
        return try ArbiterContract.sampledVerifier.decodeResult(output)[0].asUInt()
    }

    /// A challenge needs a deterministic model, an input this node can open, and room in the bond budget.
    private func mayChallenge(_ request: PendingRequest, scan: inout ScanState) async throws -> Bool {
        guard request.recipients.isEmpty || request.recipients.contains(nodeID) else { return false }
        let modelData = try await client.call(CallRequest(to: deployment.core, data: try CloisterContract.models.encodeCall([.bytes32(request.model)])))
        guard try ABI.decode([.uint(bits: 256), .bool, .bool], from: modelData)[1].asBool() else { return false }
        let open = try await lockedChallenges(scan: &scan) + scan.jobs.count { $0.key.role == .challenger }
        let (bonded, overflow) = scan.parameters.challengeBond.multipliedReportingOverflow(by: UInt256(UInt64(open + 1)))
        return !overflow && bonded <= settings.challengeBudget
    }

    /// Challenges whose bond may be locked: under way (not agreed, not failed) and not yet resolved.
    private func lockedChallenges(scan: inout ScanState) async throws -> Int {
        let underWay = try await store.jobs(in: [.observed, .executing, .executed, .signed, .submitted, .included, .confirmed], limit: 10_000)
            .filter { $0.key.role == .challenger }
        var locked = 0
        for job in underWay {
            guard let record = try await record(job.key.requestID, in: &scan) else { continue }
            if [.fulfilled, .verified, .disputed].contains(record.fulfilment.state) { locked += 1 }
        }
        return locked
    }

    private func dutyJob(_ role: JobRole, request: PendingRequest, stored: [UInt8], context: DutyContext, log: Log, deadline: UInt64) -> Job {
        var job = Job(key: JobKey(requestID: request.id, role: role), model: request.model, request: stored,
                      observedIn: BlockRef(number: log.blockNumber, hash: log.blockHash), logIndex: log.logIndex, deadline: deadline)
        job.context = context.encoded()
        return job
    }

    // MARK: Arbiter

    private func verified(_ log: Log, scan: inout ScanState) async throws {
        let id = log.topics[1]
        guard var record = try await record(id, in: &scan) else { return }
        record.fulfilment.state = .verified
        record.fulfilment.verifier = UInt256(log.topics[2])
        scan.records[id] = record
    }

    private func disputeOpened(_ log: Log, scan: inout ScanState) async throws {
        let values = try ArbiterContract.disputeOpened.decodeLog(topics: log.topics, data: log.data)
        let id = try values[0].asBytes32()
        guard var record = try await record(id, in: &scan) else { return }
        record.fulfilment.state = .disputed
        record.challenger = try values[2].asUInt()
        record.challengerCommitment = try values[4].asBytes32()
        scan.records[id] = record
    }

    private func jurorsDrawn(_ log: Log, scan: inout ScanState) async throws {
        let values = try ArbiterContract.jurorsDrawn.decodeLog(topics: log.topics, data: log.data)
        let id = try values[0].asBytes32()
        let jurors = try values[1].asElements().map { value throws(ABIError) in try value.asUInt() }
        guard settings.jury, let seat = jurors.firstIndex(of: nodeID) else { return }
        guard let (request, stored) = try await lookup.request(id, before: log.blockNumber) else { return }
        var record: ResultRecord
        if let known = try await self.record(id, in: &scan) {
            record = known
        } else {
            guard let fulfilment = try await lookup.disputedFulfilment(id, before: log.blockNumber) else { return }
            record = ResultRecord(request: stored, executor: request.node, fulfilment: fulfilment, parts: [])
        }
        record.parts.insert(.juror)
        scan.records[id] = record
        scan.jobs.append(dutyJob(.juror, request: request, stored: stored, context: DutyContext(fulfilment: record.fulfilment, seat: seat),
                                 log: log, deadline: try values[2].asUInt().uint64 ?? .max))
        scan.report.juryDraws += 1
    }

    private func disputeResolved(_ log: Log, scan: inout ScanState) async throws {
        let values = try ArbiterContract.disputeResolved.decodeLog(topics: log.topics, data: log.data)
        let id = try values[0].asBytes32()
        guard var record = try await record(id, in: &scan) else { return }
        let winner = try values[1].asBytes32(), executorLost = try values[2].asBool()
        let ours = try await ourCommitment(id, record: record)
        if winner != .zero, let ours { if ours == winner { scan.report.disputesWon += 1 } else { scan.report.disputesLost += 1 } }
        record.winner = winner
        if executorLost {
            record.fulfilment.state = .overturned
            record.fulfilment.commitment = winner
        } else {
            record.fulfilment.state = .upheld
            if record.challengerCommitment != winner && record.fulfilment.verifier == record.challenger { record.fulfilment.verifier = .zero }
        }
        scan.records[id] = record
        // Left to do: settling an upheld result (executor), delivering an overturned one (winning side).
        let onWinningSide = executorLost && ours == winner && !record.parts.contains(.executor)
        if !(record.parts.contains(.executor) && !executorLost) && !onWinningSide { scan.closed.insert(id) }
    }

    /// The commitment this node put into the result's dispute, if it took part.
    private func ourCommitment(_ id: Bytes32, record: ResultRecord) async throws -> Bytes32? {
        for role in [JobRole.verifier, .challenger, .juror] where record.parts.contains(role) {
            if let result = try await store.job(JobKey(requestID: id, role: role))?.result { return result.commitment }
        }
        if record.parts.contains(.executor), let result = try await store.job(JobKey(requestID: id, role: .executor))?.result {
            return result.commitment
        }
        return nil
    }
}
