import Ethereum

/// A transaction as `eth_getTransactionByHash` describes it, mined or pending.
public struct TransactionDetails: Hashable, Sendable {
    public let hash: Bytes32
    /// The EIP-2718 type (0 legacy, 1 access list, 2 EIP-1559, …).
    public let type: UInt64
    public let nonce: UInt64
    public let from: Address
    public let to: Address?
    public let value: UInt256
    public let gasLimit: UInt64
    public let input: [UInt8]
    /// The legacy price, or for EIP-1559 what the block charged (the fee cap while pending).
    public let gasPrice: UInt256?
    public let maxFeePerGas: UInt256?
    public let maxPriorityFeePerGas: UInt256?
    /// Where it was mined; `nil` while it waits in a pool.
    public let inclusion: Inclusion?

    public struct Inclusion: Hashable, Sendable {
        public let blockHash: Bytes32
        public let blockNumber: UInt64
        public let transactionIndex: UInt64
    }
}

extension TransactionDetails {
    init(reader: JSONFieldReader) throws(InvalidResponse) {
        hash = try reader.member("hash").bytes32()
        type = try reader.optionalMember("type")?.uint64() ?? 0
        nonce = try reader.member("nonce").uint64()
        from = try reader.member("from").address()
        to = try reader.optionalMember("to")?.address()
        value = try reader.member("value").quantity()
        gasLimit = try reader.member("gas").uint64()
        input = try reader.member("input").data()
        gasPrice = try reader.optionalMember("gasPrice")?.quantity()
        maxFeePerGas = try reader.optionalMember("maxFeePerGas")?.quantity()
        maxPriorityFeePerGas = try reader.optionalMember("maxPriorityFeePerGas")?.quantity()
        let blockHash = try reader.optionalMember("blockHash")?.bytes32()
        let blockNumber = try reader.optionalMember("blockNumber")?.uint64()
        let index = try reader.optionalMember("transactionIndex")?.uint64()
        switch (blockHash, blockNumber, index) {
        case let (hash?, number?, index?):
            inclusion = Inclusion(blockHash: hash, blockNumber: number, transactionIndex: index)
        case (nil, nil, nil):
            inclusion = nil
        default:
            throw .inconsistent(
                field: reader.path + ".blockHash",
                reason: "block hash, number and index must be all present or all null")
        }
    }
}
