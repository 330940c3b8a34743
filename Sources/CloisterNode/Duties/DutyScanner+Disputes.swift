import ChainClient
import CloisterClient
import Ethereum
import Oracle

/// The arbiter's events as the duty scanner follows them: verifications, disputes, juries and resolutions
/// of results this node is party to.
extension DutyScanner {
    func verified(_ log: Log, scan: inout ScanState) async throws {
        let id = log.topics[1]
        guard var record = try await record(id, in: &scan) else { return }
        record.fulfilment.state = .verified
        record.fulfilment.verifier = UInt256(log.topics[2])
        scan.records[id] = record
    }

    func disputeOpened(_ log: Log, scan: inout ScanState) async throws {
        let values = try ArbiterContract.disputeOpened.decodeLog(topics: log.topics, data: log.data)
        let id = try values[0].asBytes32()
        guard var record = try await record(id, in: &scan) else { return }
        record.fulfilment.state = .disputed
        record.challenger = try values[2].asUInt()
        record.challengerCommitment = try values[4].asBytes32()
        scan.records[id] = record
    }

    func jurorsDrawn(_ log: Log, scan: inout ScanState) async throws {
        let values = try ArbiterContract.jurorsDrawn.decodeLog(topics: log.topics, data: log.data)
        let id = try values[0].asBytes32()
        let jurors = try values[1].asElements().map { value throws(ABIError) in try value.asUInt() }
        guard settings.jury, let seat = jurors.firstIndex(of: nodeID) else { return }
        var record: ResultRecord
        if let known = try await self.record(id, in: &scan) {
            record = known
        } else {
            guard let (request, stored) = try await lookup.request(id, before: log.blockNumber),
                  let fulfilment = try await lookup.disputedFulfilment(id, before: log.blockNumber) else { return }
            record = ResultRecord(request: stored, executor: request.node, fulfilment: fulfilment, parts: [])
        }
        let request = try record.pendingRequest()
        record.parts.insert(.juror)
        scan.records[id] = record
        scan.jobs.append(dutyJob(.juror, request: request, stored: record.request, context: DutyContext(fulfilment: record.fulfilment, seat: seat),
                                 log: log, deadline: try values[2].asUInt().uint64 ?? .max))
        scan.report.juryDraws += 1
    }

    func disputeResolved(_ log: Log, scan: inout ScanState) async throws {
        let values = try ArbiterContract.disputeResolved.decodeLog(topics: log.topics, data: log.data)
        let id = try values[0].asBytes32()
        guard var record = try await record(id, in: &scan) else { return }
        let winner = try values[1].asBytes32(), executorLost = try values[2].asBool()
        let ours = try await ourCommitment(id, record: record)
        if winner != .zero, let ours { if ours == winner { scan.report.disputesWon += 1 } else { scan.report.disputesLost += 1 } }
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
    func ourCommitment(_ id: Bytes32, record: ResultRecord) async throws -> Bytes32? {
        for role in [JobRole.verifier, .challenger, .juror, .executor] where record.parts.contains(role) {
            if let result = try await store.job(JobKey(requestID: id, role: role))?.result { return result.commitment }
        }
        return nil
    }
}
