import Ethereum

/// Where a transaction the node sent stands.
package enum OutgoingState: String, Sendable, Codable, CaseIterable {
    /// Written to the store and broadcast (perhaps replaced since); not in a block yet.
    case pending
    /// In a block, not yet at confirmation depth.
    case included
    /// At confirmation depth.
    case confirmed
    /// Included, but the call reverted; its jobs failed with the diagnosis.
    case reverted
}

/// A transaction carrying results, as the store keeps it: the raw bytes are written *before* the
/// broadcast, so a crash right after sending loses nothing and a restart re-sends the same bytes.
package struct OutgoingTransaction: Hashable, Sendable {
    package let nonce: UInt64
    /// The hash of the latest version (replacements change it; the nonce stays).
    package var hash: Bytes32
    package var raw: [UInt8]
    package var maxFeePerGas: UInt256
    package var maxPriorityFeePerGas: UInt256
    /// The head when this version was broadcast; replacement waits are counted from it.
    package var sentAtBlock: UInt64
    package var state: OutgoingState
    package var includedIn: BlockRef?
    package var replacements: Int
    /// What a transaction that carries no results is for (for example `settle:<request id>`), so the
    /// caller does not send the same action twice while it is pending.
    package var purpose: String?

    package init(
        nonce: UInt64, hash: Bytes32, raw: [UInt8], maxFeePerGas: UInt256, maxPriorityFeePerGas: UInt256,
        sentAtBlock: UInt64, state: OutgoingState = .pending, includedIn: BlockRef? = nil, replacements: Int = 0,
        purpose: String? = nil
    ) {
        self.purpose = purpose
        self.nonce = nonce
        self.hash = hash
        self.raw = raw
        self.maxFeePerGas = maxFeePerGas
        self.maxPriorityFeePerGas = maxPriorityFeePerGas
        self.sentAtBlock = sentAtBlock
        self.state = state
        self.includedIn = includedIn
        self.replacements = replacements
    }
}
