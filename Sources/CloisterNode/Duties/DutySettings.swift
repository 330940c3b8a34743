import Ethereum

/// How the node takes part in verification, juries, challenges and settlement (`[duties]`).
struct DutySettings: Sendable {
    /// Re-execute results when the arbiter samples this node.
    var verify = true
    /// Vote when drawn as a juror.
    var jury = true
    /// Report sampled verifiers that let a visible result's verification window pass (`reportSilence`).
    var reportSilence = true
    /// Settle this node's results once their windows are over.
    var settle = true
    /// Withdraw credits from the core once they exceed this; nil never withdraws.
    var withdrawAbove: UInt256?
    /// Share of other nodes' deterministic results to re-execute and challenge if they differ, in basis points.
    var challengeShareBps: UInt64 = 0
    /// The most wei this node keeps bonded in open challenges.
    var challengeBudget: UInt256 = .zero
    /// Blocks a log must be buried under before the scanner acts on it (at least one: sampling is
    /// decided from the fulfilment block's hash, which the arbiter reads from the next block).
    var confirmations: UInt64 = 1
    var maxLogRange: UInt64 = 2_000
    /// The deepest reorg the scanner survives (`chain.final_depth`).
    var finalDepth: UInt64 = 64
}
