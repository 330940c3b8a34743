import Ethereum

/// An event log as returned by `eth_getLogs` and inside receipts.
public struct Log: Hashable, Sendable {
    public let address: Address
    public let topics: [Bytes32]
    public let data: [UInt8]
    public let blockNumber: UInt64
    public let blockHash: Bytes32
    public let transactionHash: Bytes32
    public let transactionIndex: UInt64
    public let logIndex: UInt64
    /// `true` when a reorg removed the log (only in subscriptions and some providers' answers).
    public let removed: Bool

    public init(
        address: Address, topics: [Bytes32], data: [UInt8], blockNumber: UInt64, blockHash: Bytes32,
        transactionHash: Bytes32, transactionIndex: UInt64, logIndex: UInt64, removed: Bool
    ) {
        self.address = address
        self.topics = topics
        self.data = data
        self.blockNumber = blockNumber
        self.blockHash = blockHash
        self.transactionHash = transactionHash
        self.transactionIndex = transactionIndex
        self.logIndex = logIndex
        self.removed = removed
    }
}

extension Log {
    init(reader: JSONFieldReader) throws(InvalidResponse) {
        var topics: [Bytes32] = []
        for element in try reader.member("topics").elements() {
            topics.append(try element.bytes32())
        }
        guard topics.count <= 4 else {
            throw .inconsistent(field: reader.path + ".topics", reason: "more than four topics")
        }
        self.init(
            address: try reader.member("address").address(),
            topics: topics,
            data: try reader.member("data").data(),
            blockNumber: try reader.member("blockNumber").uint64(),
            blockHash: try reader.member("blockHash").bytes32(),
            transactionHash: try reader.member("transactionHash").bytes32(),
            transactionIndex: try reader.member("transactionIndex").uint64(),
            logIndex: try reader.member("logIndex").uint64(),
            removed: try reader.optionalMember("removed")?.bool() ?? false)
    }
}
