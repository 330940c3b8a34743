import CloisterClient
import Ethereum
import CloisterConfiguration
import Oracle

/// Reads the core's and the arbiter's events behind the watcher and turns them into this node's duties:
/// a verifier job when the arbiter samples this node, a juror job when it is drawn, a challenger job when
/// the challenge policy picks another node's result; and it follows every result this node is party to
/// (fulfilment, verification, dispute, resolution, settlement) in tracked results for the keeper.
///
/// Duty jobs, tracked results and the cursor of one scan commit in one database transaction.
struct DutyScanner: Sendable {
    typealias Store = JobStore & DutyStore

    /// The core and the arbiter, read through the duties' chain port.
    let contracts: DeployedContracts
    let store: any Store
    let nodeID: UInt256
    let operatorAddress: Address
    /// Models this node serves (the arbiter draws verifiers and jurors among nodes serving the model).
    let servedModels: Set<Bytes32>
    let settings: DutySettings
    /// Confirmations, the log range per query and the deepest reorg survived (`[chain]`).
    let reading: ChainSettings
    /// The log range the provider accepts, kept from one scan to the next.
    let span: LogSpan

    init(
        contracts: DeployedContracts, store: any Store, nodeID: UInt256, operatorAddress: Address, servedModels: Set<Bytes32>,
        settings: DutySettings, reading: ChainSettings
    ) {
        self.contracts = contracts
        self.store = store
        self.nodeID = nodeID
        self.operatorAddress = operatorAddress
        self.servedModels = servedModels
        self.settings = settings
        self.reading = reading
        self.span = LogSpan(maximum: reading.maxLogRange)
    }

    var windows: LogWindows { LogWindows(chain: contracts.chain, span: span) }
    var lookup: LogLookup { LogLookup(contracts: contracts, windows: windows) }

    /// Scans the next range of buried blocks; returns what it found, or nil when caught up or waiting
    /// for a lagging endpoint. A reorg below the cursor rewinds it first (``DutyStore/rewindDuties(toAncestor:)``).
    func scan() async throws -> DutyReport? {
        let chain = contracts.chain
        let head = try await chain.headNumber()
        let reader = CanonicalLogReader(
            reader: chain, addresses: [contracts.core, contracts.arbiter],
            eventTopics: (DutyEvent.coreEvents + DutyEvent.arbiterEvents).map(\.topic), finalDepth: reading.finalDepth)
        switch try await reader.ancestry(
            of: try await store.recentDutyBlocks(limit: Int(clamping: reading.finalDepth)), head: head,
            floor: contracts.deploymentBlock)
        {
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
        let first = try await store.dutyCursor() ?? contracts.deploymentBlock
        guard first <= last else { return nil }
        var end = min(last, first + (span.width - 1))
        while true {
            switch try await reader.read(first...end, head: head) {
            case .tooLarge where end > first:
                span.refused(end - first + 1)
                end = first + (span.width - 1)
                continue
            case .tooLarge, .notYet, .raced:
                return nil
            case .logs(let logs, let blocks):
                var scan = ScanState(parameters: try await contracts.parameters(), sets: ParameterSets(contracts))
                for log in logs {
                    try await apply(log, to: &scan)
                }
                if settings.verify, logs.contains(where: { $0.topics.first.map(DutyEvent.stakeTopics.contains) ?? false }) {
                    try await resample(through: end, scan: &scan)
                }
                let tracked = scan.records.map { $0.value.tracked(id: $0.key, closedAt: scan.closed[$0.key]) }
                try await store.commit(DutyScan(jobs: scan.jobs, tracked: tracked, blocks: blocks, nextBlock: end + 1))
                span.widen()
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
        switch try DutyEvent(log) {
        case .fulfilled(let event)?: try await fulfilled(event, log: log, scan: &scan)
        case .verified(let event)?: try await verified(event, scan: &scan)
        case .disputeOpened(let event)?: try await disputeOpened(event, scan: &scan)
        case .jurorsDrawn(let event)?: try await jurorsDrawn(event, log: log, scan: &scan)
        case .disputeResolved(let event)?: try await disputeResolved(event, log: log, scan: &scan)
        case .ended(let id)?:
            if try await record(id, in: &scan) != nil { scan.closed[id] = log.block.number }
        case .slashed(let event)?: scan.report.count(event, nodeID: nodeID)
        case .credited(let event)?: scan.report.count(event, operatorAddress: operatorAddress)
        case .stakesChanged?, nil: return
        }
    }

    func dutyJob(_ role: JobRole, request: PendingRequest, stored: [UInt8], context: DutyContext, log: ChainLog, deadline: UInt64) -> Job {
        var job = Job(
            key: JobKey(requestID: request.id, role: role), model: request.model, request: stored,
            observedIn: BlockRef(number: log.block.number, hash: log.block.hash), logIndex: log.logIndex, deadline: deadline)
        job.context = context.encoded()
        return job
    }
}
