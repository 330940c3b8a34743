import ChainClient
import CloisterClient
import Ethereum
import NodeConfiguration
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
    /// The node's chain port: logs and headers are read through it, checked for reorgs and lagging answers.
    let chain: any ChainReader
    let deployment: Deployment
    let store: any Store
    let nodeID: UInt256
    let operatorAddress: Address
    /// Models this node serves (the arbiter draws verifiers and jurors among nodes serving the model).
    let servedModels: Set<Bytes32>
    let settings: DutySettings
    /// Confirmations, the log range per query and the deepest reorg survived (`[chain]`).
    let reading: ChainSettings

    static let coreEvents = [CloisterContract.fulfilled, CloisterContract.settled, CloisterContract.slashed, CloisterContract.credited,
                             CloisterContract.stakeChanged, CloisterContract.nodeStatusChanged, CloisterContract.nodeRegistered]
    /// Events that change the stake weights the arbiter draws verifiers by.
    static let weightEvents: Set<Bytes32> = [CloisterContract.stakeChanged.topic, CloisterContract.nodeStatusChanged.topic,
                                             CloisterContract.nodeRegistered.topic]
    static let arbiterEvents = [ArbiterContract.verified, ArbiterContract.disputeOpened, ArbiterContract.jurorsDrawn,
                                ArbiterContract.disputeResolved, ArbiterContract.correctedDelivered]

    var lookup: LogLookup { LogLookup(client: client, deployment: deployment, maxRange: reading.maxLogRange) }

    /// Scans the next range of buried blocks; returns what it found, or nil when caught up or waiting
    /// for a lagging endpoint. A reorg below the cursor rewinds it first (``DutyStore/rewindDuties(toAncestor:)``).
    func scan() async throws -> DutyReport? {
        let head = try await chain.headNumber()
        let reader = CanonicalLogReader(reader: chain, addresses: [deployment.core, deployment.arbiter],
                                        eventTopics: (Self.coreEvents + Self.arbiterEvents).map(\.topic), finalDepth: reading.finalDepth)
        switch try await reader.ancestry(of: try await store.recentDutyBlocks(limit: Int(clamping: reading.finalDepth)), head: head,
                                         floor: deployment.deploymentBlock) {
        case .unchanged: break
        case .notYet: return nil
        case .reorganised(let ancestor):
            try await store.rewindDuties(toAncestor: ancestor)
            var report = DutyReport()
            report.lastProblem = "reorg: duty scan rewound to block \(ancestor); results ended above it are followed again"
            return report
        }
        let depth = max(reading.confirmations, 1)
        guard head >= depth else { return nil }
        let last = head - depth
        let first = try await store.dutyCursor() ?? deployment.deploymentBlock
        guard first <= last else { return nil }
        var end = min(last, first + reading.maxLogRange - 1)
        while true {
            switch try await reader.read(first...end, head: head) {
            case .tooLarge where end > first:
                end = first + (end - first) / 2
                continue
            case .tooLarge, .notYet, .raced:
                return nil
            case .logs(let logs, let blocks):
                var scan = ScanState(parameters: try await client.parameters(in: deployment),
                                     sets: ParameterSets(client: client, deployment: deployment))
                for log in logs {
                    try await apply(log, to: &scan)
                }
                if settings.verify, logs.contains(where: { $0.topics.first.map(Self.weightEvents.contains) ?? false }) {
                    try await resample(through: end, scan: &scan)
                }
                let tracked = scan.records.map { $0.value.tracked(id: $0.key, closedAt: scan.closed[$0.key]) }
                try await store.commit(DutyScan(jobs: scan.jobs, tracked: tracked, blocks: blocks, nextBlock: end + 1))
                return scan.report
            }
        }
    }

    /// What a scan gathers before committing.
    struct ScanState {
        /// The parameters in force (for the range of blocks to look back over).
        let parameters: ProtocolParameters
        /// The sets results were fulfilled under: their sampling rate, windows and bond.
        var sets: ParameterSets
        var jobs: [Job] = []
        var records: [Bytes32: ResultRecord] = [:]
        /// Results this scan saw end, with the block of the event that ended them.
        var closed: [Bytes32: UInt64] = [:]
        var report = DutyReport()
        /// Challenges with a bond at stake before this scan, counted when the first challenge is considered.
        var lockedChallenges: Int?
    }

    func record(_ id: Bytes32, in scan: inout ScanState) async throws -> ResultRecord? {
        if let known = scan.records[id] { return known }
        guard let tracked = try await store.trackedResult(id), tracked.isOpen else { return nil }
        let record = try ResultRecord(tracked: tracked)
        scan.records[id] = record
        return record
    }

    private func apply(_ log: ChainLog, to scan: inout ScanState) async throws {
        guard let topic = log.topics.first else { return }
        switch topic {
        case CloisterContract.fulfilled.topic: try await fulfilled(log, scan: &scan)
        case ArbiterContract.verified.topic: try await verified(log, scan: &scan)
        case ArbiterContract.disputeOpened.topic: try await disputeOpened(log, scan: &scan)
        case ArbiterContract.jurorsDrawn.topic: try await jurorsDrawn(log, scan: &scan)
        case ArbiterContract.disputeResolved.topic: try await disputeResolved(log, scan: &scan)
        case ArbiterContract.correctedDelivered.topic, CloisterContract.settled.topic:
            if try await record(log.topics[1], in: &scan) != nil { scan.closed[log.topics[1]] = log.block.number }
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

    func dutyJob(_ role: JobRole, request: PendingRequest, stored: [UInt8], context: DutyContext, log: ChainLog, deadline: UInt64) -> Job {
        var job = Job(key: JobKey(requestID: request.id, role: role), model: request.model, request: stored,
                      observedIn: BlockRef(number: log.block.number, hash: log.block.hash), logIndex: log.logIndex, deadline: deadline)
        job.context = context.encoded()
        return job
    }
}
