import CloisterClient
import Ethereum
import CloisterConfiguration
import Oracle

/// Moves the results this node is party to toward their end, with transactions through the submitter
/// (so they share its nonce discipline): settles its own results once their windows are over (and results
/// it verified, one challenge window later, if their executor has not), draws
/// juries, replaces absent jurors and resolves disputes when they are due, delivers corrected outputs
/// when it is on the winning side, withdraws credits above the configured threshold, and reports sampled
/// verifiers that let the verification window of a result it can see pass (`reportSilence`).
///
/// Every action is judged against the latest block (its number and timestamp), and is skipped while a
/// transaction for the same purpose is pending; an action the chain would refuse is not sent.
struct DutyKeeper: Sendable {
    typealias Store = JobStore & DutyStore

    /// The core and the arbiter, read through the duties' chain port.
    let contracts: DeployedContracts
    let store: any Store
    let submitter: Submitter
    let nodeID: UInt256
    let operatorAddress: Address
    let settings: DutySettings
    /// Results whose silence report was sent or needs none (kept in memory; after a restart the arbiter's
    /// refusal of a second report stops a repeat before it is sent).
    let silence = SilenceReport.Done()
    static let maxSettleBatch = 32

    func pass() async throws -> DutyReport {
        var report = DutyReport()
        guard let head = try await contracts.chain.latestBlock() else { return report }
        var sets = ParameterSets(contracts)
        let pending = try await submitter.pendingPurposes()
        var settleable: [(id: Bytes32, request: ABIValue, fulfilment: ABIValue)] = []
        for tracked in try await store.openTrackedResults(limit: 1_000) {
            let record = try ResultRecord(tracked: tracked)
            let id = tracked.requestID
            let request = try record.pendingRequest()
            // the windows, jury and slashes of the parameter set the result was fulfilled under
            let parameters = try await sets.version(record.fulfilment.paramsVersion)
            switch record.fulfilment.state {
            case .fulfilled, .verified:
                // The executor settles as soon as the windows close; a verifier, owed its fee, one more
                // challenge window later if the executor has not.
                let grace = record.parts.contains(.executor) ? 0 : parameters.challengeWindow
                let windowsOver =
                    head.timestamp >= record.fulfilment.fulfilledAt + parameters.challengeWindow + grace
                    && head.number > record.fulfilment.block + parameters.verifyWindowBlocks
                let owed = record.parts.contains(.executor) || record.fulfilment.verifier == nodeID
                if settings.settle, owed, windowsOver, try await stillHeld(id, request, record, pending: pending) {
                    settleable.append((id, request.requestTuple, record.fulfilment.tuple))
                }
                if SilenceReport.due(record, head: head.number, verifyWindowBlocks: parameters.verifyWindowBlocks), settings.reportSilence {
                    try await reportSilenceIfDue(id, request: request, record: record, pending: pending, report: &report)
                }
            case .upheld:
                if settings.settle, record.parts.contains(.executor), try await stillHeld(id, request, record, pending: pending) {
                    settleable.append((id, request.requestTuple, record.fulfilment.tuple))
                }
            case .disputed:
                guard !record.parts.isEmpty else { continue }  // only watched for a silent verifier
                try await advanceDispute(id, request: request, record: record, head: head, parameters: parameters, pending: pending, report: &report)
            case .overturned:
                try await deliverCorrected(id, request: request, record: record, pending: pending, report: &report)
            }
        }
        for start in stride(from: 0, to: settleable.count, by: Self.maxSettleBatch) {
            try await settle(Array(settleable[start..<min(start + Self.maxSettleBatch, settleable.count)]), report: &report)
        }
        try await withdrawIfDue(pending: pending, report: &report)
        report.failedDuties = try await store.failedDutyCount()
        return report
    }

    /// Whether a result may be settled now: no settle of it pending, and the core still holds it in the
    /// state known here (the scanner reads behind the head, so another party may have moved it on).
    private func stillHeld(_ id: Bytes32, _ request: PendingRequest, _ record: ResultRecord, pending: Set<String>) async throws -> Bool {
        guard !Self.pending("settle", id, in: pending) else { return false }
        return try await contracts.holds(id, request: request, fulfilment: record.fulfilment)
    }

    /// Whether a transaction for `action` on `id` is pending (settle purposes list every id of their batch).
    static func pending(_ action: String, _ id: Bytes32, in purposes: Set<String>) -> Bool {
        purposes.contains { $0.hasPrefix(action + ":") && $0.contains(id.hex) }
    }

    private func advanceDispute(
        _ id: Bytes32, request: PendingRequest, record: ResultRecord, head: HeadBlock,
        parameters: ProtocolParameters, pending: Set<String>, report: inout DutyReport
    ) async throws {
        let dispute = try await contracts.dispute(id)
        guard !dispute.resolved else { return }
        let recipients = ABIValue.array(request.recipients.map(ABIValue.uint))
        if dispute.deadline == 0 {
            guard head.number > dispute.openedBlock, !Self.pending("drawJurors", id, in: pending) else { return }
            try await send("drawJurors", id, to: contracts.arbiter, try ArbiterContract.drawJurors.encodeCall([.bytes32(id), recipients]), report: &report)
        } else if dispute.absentSeats.isEmpty || (head.timestamp > dispute.deadline && dispute.rounds >= parameters.maxJurorRounds) {
            guard dispute.absentSeats.isEmpty || head.timestamp > dispute.deadline, !Self.pending("resolve", id, in: pending) else { return }
            try await send(
                "resolve", id, to: contracts.arbiter,
                try ArbiterContract.resolve.encodeCall([request.requestTuple, record.fulfilment.tuple]), report: &report)
        } else if head.timestamp > dispute.deadline, !Self.pending("replaceAbsentJurors", id, in: pending) {
            try await send(
                "replaceAbsentJurors", id, to: contracts.arbiter,
                try ArbiterContract.replaceAbsentJurors.encodeCall([.bytes32(id), recipients]), report: &report)
        }
    }

    /// Delivers the winning output if this node signed it in the role it played in the dispute (verifier,
    /// challenger or juror): the signature binds the role, so only that job's result is accepted.
    private func deliverCorrected(
        _ id: Bytes32, request: PendingRequest, record: ResultRecord, pending: Set<String>,
        report: inout DutyReport
    ) async throws {
        guard !Self.pending("deliverCorrected", id, in: pending) else { return }
        let role = try await contracts.dispute(id).deliveringRole(of: nodeID)
        guard record.parts.contains(role), let job = try await store.job(JobKey(requestID: id, role: role)),
            job.result?.commitment == record.fulfilment.commitment
        else { return }
        let data = try ArbiterContract.deliverCorrected.encodeCall([
            request.requestTuple, record.fulfilment.tuple, .uint(nodeID),
            try CloisterResultEncoder.resultTuple(job)
        ])
        try await send("deliverCorrected", id, to: contracts.arbiter, data, report: &report)
    }

    private func settle(_ batch: [(id: Bytes32, request: ABIValue, fulfilment: ABIValue)], report: inout DutyReport) async throws {
        let purpose = "settle:" + batch.map(\.id.hex).joined(separator: ",")
        let data =
            batch.count == 1
            ? try CloisterContract.settle.encodeCall([batch[0].request, batch[0].fulfilment])
            : try CloisterContract.settleBatch.encodeCall([.array(batch.map(\.request)), .array(batch.map(\.fulfilment))])
        switch try await submitter.submit(OutgoingCall(to: contracts.core, data: data, purpose: purpose)) {
        case .sent: report.actions["settle", default: 0] += batch.count
        case .wouldRevert:
            // One result the chain will not settle must not hold back the others: settle them singly.
            // A single one that would revert was settled by another party since it was checked.
            guard batch.count > 1 else { return }
            for item in batch { try await settle([item], report: &report) }
        case .notRecorded: break
        case .stopped(let problem): report.lastProblem = problem
        }
    }

    /// Reports the sampled verifier of a result nobody verified, once its window is over: at most once per
    /// result (the arbiter refuses a second report, and this node remembers what it reported or saw refused).
    private func reportSilenceIfDue(
        _ id: Bytes32, request: PendingRequest, record: ResultRecord, pending: Set<String>,
        report: inout DutyReport
    ) async throws {
        guard !Self.pending("reportSilence", id, in: pending), await !silence.settled(id) else { return }
        let recipients = ABIValue.array(request.recipients.map(ABIValue.uint))
        let sampled = try await contracts.sampledVerifier(of: request, record.fulfilment)
        guard sampled != .zero, sampled != nodeID else {
            await silence.settle(id)  // nobody to report, or this node itself (it would not report its own silence)
            return
        }
        let data = try ArbiterContract.reportSilence.encodeCall([request.requestTuple, record.fulfilment.tuple, recipients])
        switch try await submitter.submit(OutgoingCall(to: contracts.arbiter, data: data, purpose: "reportSilence:\(id.hex)")) {
        case .sent:
            report.actions["reportSilence", default: 0] += 1
            await silence.settle(id)
        case .wouldRevert:
            await silence.settle(id)  // reported by someone else, verified or disputed meanwhile, or moved on
        case .notRecorded: break
        case .stopped(let problem): report.lastProblem = problem
        }
    }

    private func withdrawIfDue(pending: Set<String>, report: inout DutyReport) async throws {
        let owed = try await contracts.credits(of: operatorAddress)
        report.pendingCreditsWei = owed
        guard let threshold = settings.withdrawAbove, owed > threshold, !pending.contains("withdraw") else { return }
        switch try await submitter.submit(OutgoingCall(to: contracts.core, data: try CloisterContract.withdraw.encodeCall([]), purpose: "withdraw")) {
        case .sent: report.actions["withdraw", default: 0] += 1
        case .wouldRevert(let reason): report.lastProblem = "withdrawing would revert: \(reason)"
        case .notRecorded: break
        case .stopped(let problem): report.lastProblem = problem
        }
    }

    private func send(_ action: String, _ id: Bytes32, to contract: Address, _ data: [UInt8], report: inout DutyReport) async throws {
        switch try await submitter.submit(OutgoingCall(to: contract, data: data, purpose: "\(action):\(id.hex)")) {
        case .sent: report.actions[action, default: 0] += 1
        case .wouldRevert, .notRecorded: break  // another party was first, or it is not due yet on the chain's clock
        case .stopped(let problem): report.lastProblem = problem
        }
    }
}

/// When a result's sampled verifier may be reported as silent (`Arbiter.reportSilence`).
enum SilenceReport {
    /// The arbiter can name a sampled verifier only for 256 blocks after the fulfilment (blockhash).
    static let blockhashWindow: UInt64 = 256

    /// Whether `record` still waits for a verification whose window is over, while the sample can still
    /// be computed in the next block (where the report lands): state FULFILLED and
    /// `block + verifyWindowBlocks < head < block + 256`.
    static func due(_ record: ResultRecord, head: UInt64, verifyWindowBlocks: UInt64) -> Bool {
        let block = record.fulfilment.block
        return record.fulfilment.state == .fulfilled && head > block + verifyWindowBlocks && head < block + blockhashWindow
    }

    /// Request ids this node has reported, or found nothing to report for.
    actor Done {
        private var ids: Set<Bytes32> = []
        func settled(_ id: Bytes32) -> Bool { ids.contains(id) }
        func settle(_ id: Bytes32) { ids.insert(id) }
    }
}
