import Ethereum

/// Where a transaction the node sent stands.
public enum OutgoingState: String, Sendable, Codable, CaseIterable {
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
public struct OutgoingTransaction: Hashable, Sendable {
    public let nonce: UInt64
    /// The hash of the latest version (replacements change it; the nonce stays).
    public var hash: Bytes32
    public var raw: [UInt8]
    public var maxFeePerGas: UInt256
    public var maxPriorityFeePerGas: UInt256
    /// The head when this version was broadcast; replacement waits are counted from it.
    public var sentAtBlock: UInt64
    public var state: OutgoingState
    public var includedIn: BlockRef?
    public var replacements: Int
    /// What a transaction that carries no results is for (for example `settle:<request id>`), so the
    /// caller does not send the same action twice while it is pending.
    public var purpose: String?

    public init(nonce: UInt64, hash: Bytes32, raw: [UInt8], maxFeePerGas: UInt256, maxPriorityFeePerGas: UInt256,
                sentAtBlock: UInt64, state: OutgoingState = .pending, includedIn: BlockRef? = nil, replacements: Int = 0,
                purpose: String? = nil) {
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
