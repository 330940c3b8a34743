import CloisterClient
import Ethereum
import Oracle

/// The arbiter's events as the duty scanner follows them: verifications, disputes, juries and resolutions
/// of results this node is party to.
extension DutyScanner {
    func verified(_ event: VerifiedEvent, scan: inout ScanState) async throws {
        guard var record = try await record(event.id, in: &scan) else { return }
        record.fulfilment.state = .verified
        record.fulfilment.verifier = event.verifier
        scan.records[event.id] = record
    }

    func disputeOpened(_ event: DisputeOpenedEvent, scan: inout ScanState) async throws {
        guard var record = try await record(event.id, in: &scan) else { return }
        record.fulfilment.state = .disputed
        record.challenger = event.challenger
        record.challengerCommitment = event.challengerCommitment
        scan.records[event.id] = record
    }

    func jurorsDrawn(_ event: JurorsDrawnEvent, log: ChainLog, scan: inout ScanState) async throws {
        guard settings.jury, let seat = event.jurors.firstIndex(of: nodeID) else { return }
        var record: ResultRecord
        if let known = try await self.record(event.id, in: &scan) {
            record = known
        } else {
            let (request, stored) = try await lookup.request(event.id, before: log.block.number)
            let fulfilment = try await lookup.disputedFulfilment(event.id, before: log.block.number)
            record = ResultRecord(request: stored, executor: request.node, fulfilment: fulfilment, parts: [])
        }
        let request = try record.pendingRequest()
        record.parts.insert(.juror)
        scan.records[event.id] = record
        scan.jobs.append(
            dutyJob(
                .juror, request: request, stored: record.request, context: DutyContext(fulfilment: record.fulfilment, seat: seat),
                log: log, deadline: event.deadline.uint64 ?? .max))
        scan.report.juryDraws += 1
    }

    func disputeResolved(_ event: DisputeResolvedEvent, log: ChainLog, scan: inout ScanState) async throws {
        guard var record = try await record(event.id, in: &scan) else { return }
        let ours = try await ourCommitment(event.id, record: record)
        let resolution = Resolution(winner: event.winner, executorLost: event.executorLost)
        switch resolution.apply(to: &record, ours: ours) {
        case true?: scan.report.disputesWon += 1
        case false?: scan.report.disputesLost += 1
        case nil: break
        }
        scan.records[event.id] = record
        if !resolution.leavesWork(for: record, ours: ours) { scan.closed[event.id] = log.block.number }
    }

    /// A `DisputeResolved` event: the winning commitment and whether the executor lost.
    struct Resolution: Equatable {
        let winner: Bytes32
        let executorLost: Bool

        /// No strict majority: the arbiter refunded the requester and the core's record of the request is
        /// the terminal REFUNDED value (winner 0, executorLost true). Nothing is upheld or overturned, so
        /// nobody settles or delivers; whether anyone was slashed is told by `Slashed` events alone.
        var refunded: Bool { winner == .zero && executorLost }

        /// Moves `record` to the state the core now holds; returns whether this node's commitment (`ours`)
        /// won, lost, or neither (no part in it, or no majority).
        func apply(to record: inout ResultRecord, ours: Bytes32?) -> Bool? {
            guard !refunded else { return nil }
            if executorLost {
                record.fulfilment.state = .overturned
                record.fulfilment.commitment = winner
            } else {
                record.fulfilment.state = .upheld
                if record.challengerCommitment != winner && record.fulfilment.verifier == record.challenger { record.fulfilment.verifier = .zero }
            }
            guard winner != .zero, let ours else { return nil }
            return ours == winner
        }

        /// Whether the keeper has something left to do: settle an upheld result (executor), deliver an
        /// overturned one (the winning side, which has the winning output signed).
        func leavesWork(for record: ResultRecord, ours: Bytes32?) -> Bool {
            guard !refunded else { return false }
            let upheldForUs = record.parts.contains(.executor) && !executorLost
            let onWinningSide = executorLost && ours == winner && !record.parts.contains(.executor)
            return upheldForUs || onWinningSide
        }
    }

    /// The commitment this node put into the result's dispute, if it took part.
    func ourCommitment(_ id: Bytes32, record: ResultRecord) async throws -> Bytes32? {
        for role in [JobRole.verifier, .challenger, .juror, .executor] where record.parts.contains(role) {
            if let result = try await store.job(JobKey(requestID: id, role: role))?.result { return result.commitment }
        }
        return nil
    }
}
