import Ethereum

/// The outcome of a mined transaction.
public struct TransactionReceipt: Hashable, Sendable {
    public let transactionHash: Bytes32
    /// `true` when execution succeeded (status 1), `false` when it reverted (status 0).
    public let succeeded: Bool
    public let blockNumber: UInt64
    public let blockHash: Bytes32
    public let transactionIndex: UInt64
    public let from: Address
    public let to: Address?
    public let gasUsed: UInt64
    public let cumulativeGasUsed: UInt64
    public let effectiveGasPrice: UInt256
    public let contractAddress: Address?
    public let logs: [Log]
}

extension TransactionReceipt {
    init(reader: JSONFieldReader) throws(InvalidResponse) {
        let statusReader = try reader.member("status")
        let status = try statusReader.uint64()
        guard status <= 1 else { throw .outOfRange(field: statusReader.path) }
        transactionHash = try reader.member("transactionHash").bytes32()
        succeeded = status == 1
        blockNumber = try reader.member("blockNumber").uint64()
        blockHash = try reader.member("blockHash").bytes32()
        transactionIndex = try reader.member("transactionIndex").uint64()
        from = try reader.member("from").address()
        to = try reader.optionalMember("to")?.address()
        gasUsed = try reader.member("gasUsed").uint64()
        cumulativeGasUsed = try reader.member("cumulativeGasUsed").uint64()
        effectiveGasPrice = try reader.member("effectiveGasPrice").quantity()
        contractAddress = try reader.optionalMember("contractAddress")?.address()
        var logs: [Log] = []
        for element in try reader.member("logs").elements() {
            logs.append(try Log(reader: element))
        }
        self.logs = logs
        try checkConsistency(path: reader.path)
    }

    private func checkConsistency(path: String) throws(InvalidResponse) {
        guard gasUsed <= cumulativeGasUsed else {
            throw .inconsistent(field: path + ".gasUsed", reason: "gas used exceeds cumulative gas used")
        }
        for (index, log) in logs.enumerated() {
            guard log.transactionHash == transactionHash, log.blockHash == blockHash,
                log.blockNumber == blockNumber
            else {
                throw .inconsistent(field: "\(path).logs[\(index)]", reason: "log of another transaction or block")
            }
        }
    }
}
