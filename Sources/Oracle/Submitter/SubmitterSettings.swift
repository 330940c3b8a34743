import Ethereum

/// How the submitter prices, sizes and follows its transactions.
package struct SubmitterSettings: Sendable, Equatable {
    package var chainID: UInt64
    /// The most wei per gas the node pays in total.
    package var maxFeePerGas: UInt256
    /// The most wei per gas the node tips.
    package var maxPriorityFeePerGas: UInt256
    /// Added to every gas estimate, in percent.
    package var gasMarginPercent: UInt64
    /// Blocks without inclusion before a transaction is replaced with higher fees.
    package var replaceAfterBlocks: UInt64
    /// Blocks above an inclusion before it counts as confirmed.
    package var confirmations: UInt64
    /// The deepest reorg the node guards against: an inclusion is re-checked against the canonical
    /// chain until it is this many blocks deep, and re-sent under its nonce if it was orphaned.
    package var finalDepth: UInt64
    /// Fee increase of a replacement, in percent (nodes require at least 10).
    package var feeBumpPercent: UInt64
    /// Below this operator balance, health reports a warning.
    package var lowBalance: UInt256
    /// With a block rhythm, a partial batch may wait for more results until this long (at least) before
    /// the next block is due (see ``BlockPacer``); nil sends every result as soon as it is signed.
    package var holdLead: Duration?

    package init(
        chainID: UInt64, maxFeePerGas: UInt256, maxPriorityFeePerGas: UInt256, gasMarginPercent: UInt64 = 20,
        replaceAfterBlocks: UInt64 = 3, confirmations: UInt64 = 2, finalDepth: UInt64 = 64, feeBumpPercent: UInt64 = 13,
        lowBalance: UInt256 = 0, holdLead: Duration? = .milliseconds(500)
    ) {
        self.chainID = chainID
        self.maxFeePerGas = maxFeePerGas
        self.maxPriorityFeePerGas = maxPriorityFeePerGas
        self.gasMarginPercent = gasMarginPercent
        self.replaceAfterBlocks = replaceAfterBlocks
        self.confirmations = confirmations
        self.finalDepth = max(finalDepth, confirmations)
        self.feeBumpPercent = feeBumpPercent
        self.lowBalance = lowBalance
        self.holdLead = holdLead
    }
}

/// What one submitter pass did, and what health should show.
package struct SubmitterReport: Equatable, Sendable {
    package var sent = 0
    package var replaced = 0
    package var included = 0
    package var confirmed = 0
    package var reverted = 0
    /// Inclusions found orphaned by a reorg: pending again and re-sent under their nonces.
    package var orphaned = 0
    /// Results left for a later pass of the same block: a partial batch waiting for the results still
    /// being computed (see ``BlockPacer``).
    package var held = 0
    /// Jobs failed because their call would revert (already fulfilled, deadline passed, …).
    package var refused = 0
    /// The base fee is above the configured cap, so nothing was sent or bumped.
    package var feesAboveCap = false
    package var insufficientFunds = false
    /// Fees paid by the transactions found included in this pass.
    package var gasSpentWei: UInt256 = .zero
    /// Broadcast-to-inclusion times of the transactions found included (those sent by this process).
    package var inclusionDurations: [Duration] = []
    /// Why a gas estimate failed without saying the call reverts (a timeout, a 503): the jobs wait for
    /// the next pass instead of failing.
    package var estimateUnavailable: String?
    /// The latest refusal from the network or the estimator, for logs and health.
    package var lastProblem: String?
}
