import Ethereum

/// A log as the watcher needs it.
package struct ChainLog: Hashable, Sendable {
    package let address: Address
    package let topics: [Bytes32]
    package let data: [UInt8]
    package let block: BlockRef
    package let logIndex: UInt64
    package let transactionHash: Bytes32

    package init(address: Address, topics: [Bytes32], data: [UInt8], block: BlockRef, logIndex: UInt64, transactionHash: Bytes32) {
        self.address = address
        self.topics = topics
        self.data = data
        self.block = block
        self.logIndex = logIndex
        self.transactionHash = transactionHash
    }
}

/// The reads the watcher makes of the chain. The node passes its JSON-RPC client; the protocol keeps
/// the watcher's logic free of transport concerns.
package protocol ChainReader: Sendable {
    /// The number of the newest block.
    func headNumber() async throws -> UInt64
    /// The header of block `number` (nil if the chain is not that long, e.g. after a reorg).
    func block(_ number: UInt64) async throws -> ScannedBlock?
    /// Logs of `addresses` in blocks `range`, whose first topic is one of `eventTopics`.
    func logs(addresses: [Address], eventTopics: [Bytes32], in range: ClosedRange<UInt64>) async throws -> [ChainLog]
    /// The same logs of one block, read from its transactions' receipts; nil when the endpoint does not
    /// serve that block or one of the receipts (or serves them from another block).
    func receiptLogs(of block: BlockRef, addresses: [Address], eventTopics: [Bytes32]) async throws -> [ChainLog]?
}

/// A provider that refused a log query as too large; the watcher halves its range and asks again.
package protocol LogRangeTooLarge: Error {}
