import CloisterClient
import Ethereum
import Oracle

/// Results seen by the duty scanner: this node's own, to track for settlement; others', to verify when
/// sampled (asked again when stakes change), to challenge under the node's policy, or, when another node
/// was sampled, to watch for a verification that never comes (the keeper reports the silent verifier).
extension DutyScanner {
    func fulfilled(_ event: FulfilledEvent, log: ChainLog, scan: inout ScanState) async throws {
        let fulfilment = event.fulfilment(block: log.block.number)
        if event.executor == nodeID {
            var request = try await store.job(JobKey(requestID: event.id, role: .executor))?.request
            if request == nil { request = try await lookup.request(event.id, before: log.block.number).stored }
            guard let request else { return }
            scan.records[event.id] = ResultRecord(request: request, executor: event.executor, fulfilment: fulfilment, parts: [.executor])
            scan.closed[event.id] = nil
            return
        }
        let terms = try await scan.sets.version(fulfilment.paramsVersion)
        let mightBeSampled = Self.mightBeSampled(id: event.id, fulfilledBlockHash: log.block.hash, verifyBps: terms.verifyBps)
        let sampled = settings.verify && mightBeSampled
        let watched = settings.reportSilence && mightBeSampled
        let challenged = Self.challengePolicyPicks(id: event.id, nodeID: nodeID, shareBps: settings.challengeShareBps)
        guard sampled || challenged || watched else { return }
        let (request, stored) = try await lookup.request(event.id, before: log.block.number)
        // "Decryption failed" on an encrypted request is never sampled nor challengeable by nodes: the
        // executor may honestly have been sent a broken wrap; only the requester can dispute it (proveWrap).
        guard !fulfilment.isDecryptionFailure(of: request) else { return }
        let serves = servedModels.contains(request.model)
        let verifier = (sampled && serves) || watched ? try await contracts.sampledVerifier(of: request, fulfilment) : .zero
        if sampled, serves, verifier == nodeID {
            try await assign(.verifier, event, fulfilment, request: request, stored: stored, log: log, scan: &scan)
            scan.report.verificationsAssigned += 1
        } else if challenged, serves, try await mayChallenge(request, bond: terms.challengeBond, scan: &scan) {
            try await assign(.challenger, event, fulfilment, request: request, stored: stored, log: log, scan: &scan)
            scan.report.challengesStarted += 1
        } else if watched, verifier != .zero, verifier != nodeID, try await record(event.id, in: &scan) == nil {
            // Another node was sampled: tracked with no part of this node's, so that the keeper can
            // report the verifier if it lets the window pass (DutyKeeper.reportSilenceIfDue).
            scan.records[event.id] = ResultRecord(request: stored, executor: event.executor, fulfilment: fulfilment, parts: [])
            scan.closed[event.id] = nil
        }
    }

    /// The arbiter draws a result's verifier from the stakes at the time of the call, so a stake change
    /// (a slash, a new node, an exit) can make this node the sampled verifier of a result it was not
    /// sampled for when it saw it. Results inside the verification window are asked again.
    func resample(through end: UInt64, scan: inout ScanState) async throws {
        let window = scan.parameters.verifyWindowBlocks
        let from = max(contracts.deploymentBlock, end > window ? end - window : 0)
        for log in try await windows.logs([contracts.core], topics: [[CloisterContract.fulfilled.topic]], in: from...end) {
            let event = try FulfilledEvent(log)
            let fulfilment = event.fulfilment(block: log.block.number)
            let key = JobKey(requestID: event.id, role: .verifier)
            guard event.executor != nodeID,
                Self.mightBeSampled(
                    id: event.id, fulfilledBlockHash: log.block.hash,
                    verifyBps: try await scan.sets.version(fulfilment.paramsVersion).verifyBps),
                !scan.jobs.contains(where: { $0.key == key }), try await store.job(key) == nil
            else { continue }
            let (request, stored) = try await lookup.request(event.id, before: log.block.number)
            guard servedModels.contains(request.model),
                !fulfilment.isDecryptionFailure(of: request),
                try await contracts.sampledVerifier(of: request, fulfilment) == nodeID,
                try await contracts.holds(event.id, request: request, fulfilment: fulfilment)
            else { continue }
            try await assign(.verifier, event, fulfilment, request: request, stored: stored, log: log, scan: &scan)
            scan.report.verificationsAssigned += 1
        }
    }

    /// A verifier or challenger job for another node's result, and the result tracked with that part.
    private func assign(
        _ role: JobRole, _ event: FulfilledEvent, _ fulfilment: Fulfilment, request: PendingRequest, stored: [UInt8],
        log: ChainLog, scan: inout ScanState
    ) async throws {
        var record =
            try await record(event.id, in: &scan)
            ?? ResultRecord(request: stored, executor: event.executor, fulfilment: fulfilment, parts: [])
        record.parts.insert(role)
        scan.records[event.id] = record
        let terms = try await scan.sets.version(fulfilment.paramsVersion)
        let context = DutyContext(fulfilment: fulfilment, bond: role == .challenger ? terms.challengeBond : nil)
        scan.jobs.append(
            dutyJob(
                role, request: request, stored: stored, context: context, log: log,
                deadline: fulfilment.fulfilledAt + terms.challengeWindow))
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

    /// A challenge needs a deterministic model, an input this node can open, and room in the bond budget.
    private func mayChallenge(_ request: PendingRequest, bond: UInt256, scan: inout ScanState) async throws -> Bool {
        guard request.recipients.isEmpty || request.recipients.contains(nodeID) else { return false }
        guard try await contracts.model(request.model).deterministic else { return false }
        if scan.lockedChallenges == nil { scan.lockedChallenges = try await lockedChallenges(scan: &scan) }
        let open = (scan.lockedChallenges ?? 0) + scan.jobs.count { $0.key.role == .challenger }
        let (bonded, overflow) = bond.multipliedReportingOverflow(by: UInt256(UInt64(open + 1)))
        return !overflow && bonded <= settings.challengeBudget
    }

    /// Challenges whose bond may be locked, before this scan: under way (not agreed, not failed) and not yet resolved.
    private func lockedChallenges(scan: inout ScanState) async throws -> Int {
        let underWay = try await store.jobKeys(role: .challenger, in: [.observed, .executing, .executed, .signed, .submitted, .included, .confirmed])
        var locked = 0
        for key in underWay {
            guard let record = try await record(key.requestID, in: &scan) else { continue }
            if [.fulfilled, .verified, .disputed].contains(record.fulfilment.state) { locked += 1 }
        }
        return locked
    }
}
