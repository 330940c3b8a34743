import Ethereum
import Secp256k1

/// Sends signed results to the settlement contract and follows them to confirmation.
///
/// Nonces are owned by the store: a transaction and the jobs it carries are recorded together before
/// the broadcast, replacements reuse the nonce, and at start the nonce is reconciled with the chain and
/// unconfirmed transactions are re-sent byte for byte. So a result is never carried by two
/// transactions that could both be included, and a crash leaves no nonce gap.
package actor Submitter {
    package typealias Store = JobStore & SubmissionStore

    private let store: any Store
    private let chain: any ChainWriter
    private let encoder: any FulfilmentEncoder
    private let key: PrivateKey
    private let settings: SubmitterSettings
    private let fees: FeePolicy
    private var pacer: BlockPacer?
    /// The time the pacer reads (a test moves it by hand).
    private let now: @Sendable () -> ContinuousClock.Instant
    private var nextNonce: UInt64?
    private var broadcastAt: [UInt64: ContinuousClock.Instant] = [:]
    private var lastResentAtHead: [UInt64: UInt64] = [:]
    /// One send at a time: a send suspends (fees, gas estimate, store) between taking a nonce and
    /// recording it, and calls from the keeper interleave with the submitter's own passes.
    private var sending = false
    private var waitingToSend: [CheckedContinuation<Void, Never>] = []

    /// The operator wallet's address.
    package nonisolated let address: Address

    package init(
        store: any Store, chain: any ChainWriter, encoder: any FulfilmentEncoder, key: PrivateKey, settings: SubmitterSettings,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        self.now = now
        self.store = store
        self.chain = chain
        self.encoder = encoder
        self.key = key
        self.settings = settings
        self.fees = FeePolicy(settings: settings)
        self.pacer = settings.holdLead.map { BlockPacer(minimumLead: $0) }
        self.address = Address(publicKey: key.publicKey)
    }

    /// Reconciles the store with the chain and re-sends pending transactions (a crash may have come
    /// between recording one and broadcasting it). A transaction the store holds as in a block, at or
    /// above the nonce the chain has reached, was orphaned while the node was down: it is pending again
    /// and re-sent, so no nonce gap survives a restart. Call once before the first pass.
    package func start() async throws {
        let head = try await chain.headNumber()
        let mined = try await chain.minedNonce(of: address)
        for transaction in try await store.outgoing(fromNonce: mined) where transaction.state != .pending {
            try await store.markUnincluded(nonce: transaction.nonce, sentAtBlock: head)
        }
        let recorded = try await store.highestNonce().map { $0 + 1 } ?? 0
        nextNonce = max(mined, recorded)
        for transaction in try await store.outgoing(in: [.pending]) {
            _ = try await chain.broadcast(transaction.raw)
        }
    }

    /// One pass: follow what was sent, then send what is ready.
    package func runPass() async throws -> SubmitterReport {
        var report = SubmitterReport()
        let head = try await chain.headNumber()
        pacer?.observe(head: head, at: now())
        try await follow(head: head, into: &report)
        try await sendReady(head: head, into: &report)
        if try await chain.balance(of: address) < settings.lowBalance { report.lastProblem = "operator balance below the warning threshold" }
        return report
    }

    // MARK: Sending

    private func sendReady(head: UInt64, into report: inout SubmitterReport) async throws {
        let signed = try await store.jobs(in: [.signed], limit: encoder.maxBatch * 4)
        for job in signed where !encoder.needsTransaction(job) {
            try await store.transition(job.key, to: .final, JobChanges())
        }
        let ready = signed.filter(encoder.needsTransaction)
        guard !ready.isEmpty else { return }
        // A partial batch waits while more results are being computed and the coming block is not due.
        let holdPartial = try await mayHoldPartialBatches()
        for role in JobRole.allCases {
            let jobs = ready.filter { $0.key.role == role }
            let batchable = jobs.filter(encoder.canBatch)
            var batches = stride(from: 0, to: batchable.count, by: encoder.maxBatch).map {
                Array(batchable[$0..<min($0 + encoder.maxBatch, batchable.count)])
            }
            if holdPartial, let last = batches.last, last.count < encoder.maxBatch {
                batches.removeLast()
                report.held += last.count
            }
            batches += jobs.filter { !encoder.canBatch($0) }.map { [$0] }
            for batch in batches {
                guard try await send(batch, head: head, into: &report) else { return }
            }
        }
    }

    private func mayHoldPartialBatches() async throws -> Bool {
        guard let pacer, pacer.mayHold(moreComing: true, now: now()) else { return false }
        let computing = try await store.jobs(in: [.observed, .executing, .executed], limit: 1)
        return pacer.mayHold(moreComing: !computing.isEmpty, now: now())
    }

    /// Sends one batch; returns false when nothing more should be sent this pass.
    private func send(_ batch: [Job], head: UInt64, into report: inout SubmitterReport) async throws -> Bool {
        let call = OutgoingCall(
            to: encoder.contract(for: batch[0].key.role), data: try encoder.calldata(for: batch),
            value: encoder.value(for: batch), purpose: nil, gasBound: encoder.gasBound(for: batch))
        switch try await send(call, jobs: batch.map(\.key), head: head, into: &report) {
        case .sent, .notRecorded: return true
        case .stopped: return false
        case .wouldRevert(let reason):
            // Alone, the job cannot be answered (already fulfilled, deadline passed, …); in a batch,
            // one bad result must not hold back the others: send them singly.
            if batch.count == 1 {
                try await store.transition(batch[0].key, to: .failed, JobChanges(failureReason: "submission would revert: \(reason)"))
                report.refused += 1
                report.lastProblem = "submission would revert: \(reason)"
                return true
            }
            for job in batch where try await !send([job], head: head, into: &report) { return false }
            return true
        }
    }

    /// Sends a call that carries no results (settling, drawing a jury, withdrawing) under the same
    /// nonce discipline as results: recorded before broadcast, replaced when stuck, never lost in a crash.
    /// `call.purpose` names it, so callers can see it pending in ``pendingPurposes()``.
    package func submit(_ call: OutgoingCall) async throws -> CallOutcome {
        var report = SubmitterReport()
        return try await send(call, jobs: [], head: try await chain.headNumber(), into: &report)
    }

    /// The purposes of calls sent with ``submit(_:)`` that are not in a block yet.
    package func pendingPurposes() async throws -> Set<String> {
        Set(try await store.outgoing(in: [.pending]).compactMap(\.purpose))
    }

    private func send(_ call: OutgoingCall, jobs: [JobKey], head: UInt64, into report: inout SubmitterReport) async throws -> CallOutcome {
        if sending {
            await withCheckedContinuation { waitingToSend.append($0) }
        } else {
            sending = true
        }
        defer {
            if waitingToSend.isEmpty { sending = false } else { waitingToSend.removeFirst().resume() }
        }
        guard let nonce = nextNonce else { throw SubmitterError.notStarted }
        guard let price = fees.fees(for: try await chain.feeQuote()) else {
            report.feesAboveCap = true
            return .stopped("fees above the configured cap")
        }
        let gasLimit: UInt64
        do {
            gasLimit = try await self.gasLimit(for: call)
        } catch let refusal as CallReverts {
            return .wouldRevert(refusal.reason)
        } catch {
            // A timeout, a 503, a backend without the state yet: says nothing about the call. Ask again
            // next pass; a job whose call really reverts fails then.
            report.estimateUnavailable = "\(error)"
            report.lastProblem = "gas estimate unavailable, retrying: \(error)"
            return .stopped("gas estimate unavailable: \(error)")
        }
        let transaction = EIP1559Transaction(
            chainId: settings.chainID, nonce: nonce, maxPriorityFeePerGas: price.priority,
            maxFeePerGas: price.maxFee, gasLimit: gasLimit,
            to: call.to, value: call.value, data: call.data, accessList: [])
        let signed = try transaction.signed(with: key)
        let outgoing = OutgoingTransaction(
            nonce: nonce, hash: signed.hash, raw: signed.rawBytes, maxFeePerGas: price.maxFee,
            maxPriorityFeePerGas: price.priority, sentAtBlock: head, purpose: call.purpose)
        guard try await store.recordSubmission(outgoing, jobs: jobs) else { return .notRecorded }
        nextNonce = nonce + 1
        broadcastAt[nonce] = ContinuousClock.now
        switch try await chain.broadcast(outgoing.raw) {
        case .accepted, .alreadyKnown, .underpriced:
            // Underpriced stays recorded: the follow-up pass replaces it with higher fees.
            report.sent += 1
            return .sent(nonce: nonce)
        case .insufficientFunds:
            try await abandon(nonce)
            report.insufficientFunds = true
            report.lastProblem = "operator wallet cannot pay for gas"
            return .stopped("operator wallet cannot pay for gas")
        case .nonceTooLow:
            // Something else used this wallet: forget the transaction and take the chain's nonce.
            try await abandon(nonce)
            nextNonce = max(nextNonce ?? 0, try await chain.minedNonce(of: address))
            report.lastProblem = "nonce \(nonce) was already used outside this node"
            return .notRecorded
        case .rejected(let message):
            try await abandon(nonce)
            report.lastProblem = "transaction refused: \(message)"
            return .stopped("transaction refused: \(message)")
        }
    }

    /// The call's bound when one simulation at it succeeds, otherwise the estimate plus the margin. An
    /// estimate searches for the least gas that works, running the call again at each step: a dozen runs
    /// of a whole batch when the contract must see a callback's full gas left (the 63/64 rule), where the
    /// bound needs one. A bound that does not work (a revert, a bound too low, an endpoint that will not
    /// simulate) only sends the call down the estimate's path, which tells a revert from the rest.
    private func gasLimit(for call: OutgoingCall) async throws -> UInt64 {
        if let bound = call.gasBound,
            (try? await chain.succeeds(from: address, to: call.to, value: call.value, data: call.data, gas: bound)) == true
        {
            return bound
        }
        return fees.gasLimit(estimate: try await chain.estimateGas(from: address, to: call.to, value: call.value, data: call.data))
    }

    private func abandon(_ nonce: UInt64) async throws {
        try await store.abandon(nonce: nonce)
        nextNonce = nonce
    }

    // MARK: Following

    private func follow(head: UInt64, into report: inout SubmitterReport) async throws {
        try await recheckInclusions(head: head, into: &report)
        for transaction in try await store.outgoing(in: [.pending]) {
            if let receipt = try await findReceipt(nonce: transaction.nonce) {
                report.gasSpentWei =
                    (try? UInt256(receipt.gasUsed).multiplied(by: receipt.effectiveGasPrice)).flatMap { try? report.gasSpentWei.adding($0) } ?? report.gasSpentWei
                if let sentAt = broadcastAt.removeValue(forKey: transaction.nonce) { report.inclusionDurations.append(ContinuousClock.now - sentAt) }
                if receipt.succeeded {
                    try await store.markIncluded(nonce: transaction.nonce, hash: receipt.transactionHash, in: receipt.block)
                    report.included += 1
                } else {
                    try await store.markReverted(
                        nonce: transaction.nonce, in: receipt.block,
                        reason: "transaction \(receipt.transactionHash) reverted in block \(receipt.block.number)")
                    report.reverted += 1
                }
            } else if head >= transaction.sentAtBlock + settings.replaceAfterBlocks {
                try await replace(transaction, head: head, into: &report)
            } else if lastResentAtHead[transaction.nonce] != head {
                // Once per new block, the same bytes again: a broadcast lost to a timeout or a node
                // restart is repaired before the replacement is due. Sending known bytes is harmless.
                lastResentAtHead[transaction.nonce] = head
                _ = try? await chain.broadcast(transaction.raw)
            }
        }
        for transaction in try await store.outgoing(in: [.included]) {
            guard let inclusion = transaction.includedIn, head >= inclusion.number + settings.confirmations else { continue }
            try await store.markConfirmed(nonce: transaction.nonce)
            report.confirmed += 1
        }
    }

    /// Checks that the transactions in blocks less than ``SubmitterSettings/finalDepth`` deep are still
    /// in the canonical chain, newest nonce first. A wallet's transactions enter a chain in nonce order,
    /// so once one is in a canonical block every lower nonce is in that chain too: one block hash per
    /// pass while nothing moves. An orphaned one (confirmed or not, reverted or not) is pending again
    /// and re-sent with its nonce, whether or not the network put it back into its pool; left alone it
    /// would hold every later nonce back.
    ///
    /// A block the endpoint does not serve, or one above the head it reports, is taken as "not yet"
    /// (a lagging backend says so too), never as a reorg: a real reorg shows another hash at that height
    /// once the chain has grown past it.
    private func recheckInclusions(head: UInt64, into report: inout SubmitterReport) async throws {
        let floor = head > settings.finalDepth ? head - settings.finalDepth : 0
        for transaction in try await store.inclusions(since: floor) {
            guard let inclusion = transaction.includedIn, inclusion.number <= head,
                let canonical = try await chain.blockHash(inclusion.number)
            else { return }
            if canonical == inclusion.hash { return }
            try await store.markUnincluded(nonce: transaction.nonce, sentAtBlock: head)
            report.orphaned += 1
            report.lastProblem = "transaction with nonce \(transaction.nonce) was orphaned from block \(inclusion.number) by a reorg; sent again"
            lastResentAtHead[transaction.nonce] = head
            _ = try? await chain.broadcast(transaction.raw)
        }
    }

    /// The receipt of whichever version of the transaction with `nonce` was included.
    private func findReceipt(nonce: UInt64) async throws -> TransactionReceipt? {
        for hash in try await store.hashes(ofNonce: nonce) {
            if let receipt = try await chain.receipt(of: hash) { return receipt }
        }
        return nil
    }

    private func replace(_ transaction: OutgoingTransaction, head: UInt64, into report: inout SubmitterReport) async throws {
        guard case .eip1559(let previous) = try SignedTransaction(rawBytes: transaction.raw) else { return }
        guard
            let price = fees.replacementFees(
                previousMaxFee: transaction.maxFeePerGas, previousPriority: transaction.maxPriorityFeePerGas,
                quote: try await chain.feeQuote())
        else {
            report.feesAboveCap = true
            return
        }
        var bumped = previous.transaction
        bumped.maxFeePerGas = price.maxFee
        bumped.maxPriorityFeePerGas = price.priority
        let signed = try bumped.signed(with: key)
        try await store.recordReplacement(
            nonce: transaction.nonce, hash: signed.hash, raw: signed.rawBytes, maxFeePerGas: price.maxFee,
            maxPriorityFeePerGas: price.priority, sentAtBlock: head)
        switch try await chain.broadcast(signed.rawBytes) {
        case .accepted, .alreadyKnown: report.replaced += 1
        case .nonceTooLow: break  // an earlier version was included; the next pass finds its receipt
        case .underpriced, .insufficientFunds, .rejected: report.lastProblem = "replacement of nonce \(transaction.nonce) refused"
        }
    }
}

/// A contract call for the submitter to send.
package struct OutgoingCall: Sendable {
    package let to: Address
    package let data: [UInt8]
    package let value: UInt256
    /// What the call is for, e.g. `settle:<request id>`; nil for result submissions.
    package let purpose: String?
    /// A gas limit that suffices unless the call reverts (see ``FulfilmentEncoder/gasBound(for:)``); nil: estimate.
    package let gasBound: UInt64?

    package init(to: Address, data: [UInt8], value: UInt256 = .zero, purpose: String?, gasBound: UInt64? = nil) {
        self.to = to
        self.data = data
        self.value = value
        self.purpose = purpose
        self.gasBound = gasBound
    }
}

/// What became of a call handed to the submitter.
package enum CallOutcome: Hashable, Sendable {
    /// Recorded and broadcast under this nonce.
    case sent(nonce: UInt64)
    /// Gas estimation says it would revert (the reason as the node gave it); nothing was sent.
    case wouldRevert(String)
    /// Not sent this time: the store refused (its jobs moved on) or the nonce was taken outside the node.
    case notRecorded
    /// Nothing more should be sent now (fees above cap, no funds, refused by the network).
    case stopped(String)
}

/// Misuse of the submitter.
package enum SubmitterError: Error, Equatable, Sendable {
    /// `runPass()` before `start()`.
    case notStarted
}
