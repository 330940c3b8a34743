import ChainClient
import CloisterClient
import Ethereum
import Oracle

/// Results seen by the duty scanner: this node's own, to track for settlement; others', to verify when
/// sampled (asked again when stakes change) or to challenge under the node's policy.
extension DutyScanner {
    func fulfilled(_ log: Log, scan: inout ScanState) async throws {
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
    func resample(through end: UInt64, scan: inout ScanState) async throws {
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

    func sampledVerifier(_ request: PendingRequest, _ fulfilment: Fulfilment) async throws -> UInt256 {
        let data = try ArbiterContract.sampledVerifier.encodeCall([request.requestTuple, fulfilment.tuple,
                                                                   .array(request.recipients.map(ABIValue.uint))])
        let output = try await client.call(CallRequest(to: deployment.arbiter, data: data))
        return try ArbiterContract.sampledVerifier.decodeResult(output)[0].asUInt()
    }

    /// A challenge needs a deterministic model, an input this node can open, and room in the bond budget.
    func mayChallenge(_ request: PendingRequest, scan: inout ScanState) async throws -> Bool {
        guard request.recipients.isEmpty || request.recipients.contains(nodeID) else { return false }
        let modelData = try await client.call(CallRequest(to: deployment.core, data: try CloisterContract.models.encodeCall([.bytes32(request.model)])))
        guard try ABI.decode([.uint(bits: 256), .bool, .bool], from: modelData)[1].asBool() else { return false }
        let open = try await lockedChallenges(scan: &scan) + scan.jobs.count { $0.key.role == .challenger }
        let (bonded, overflow) = scan.parameters.challengeBond.multipliedReportingOverflow(by: UInt256(UInt64(open + 1)))
        return !overflow && bonded <= settings.challengeBudget
    }

    /// Challenges whose bond may be locked: under way (not agreed, not failed) and not yet resolved.
    func lockedChallenges(scan: inout ScanState) async throws -> Int {
        let underWay = try await store.jobs(in: [.observed, .executing, .executed, .signed, .submitted, .included, .confirmed], limit: 10_000)
            .filter { $0.key.role == .challenger }
        var locked = 0
        for job in underWay {
            guard let record = try await record(job.key.requestID, in: &scan) else { continue }
            if [.fulfilled, .verified, .disputed].contains(record.fulfilment.state) { locked += 1 }
        }
        return locked
    }
}
