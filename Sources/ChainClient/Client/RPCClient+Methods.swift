import Ethereum

extension RPCClient {
    public func chainId() async throws(ChainClientError) -> UInt64 {
        try await request(.chainId)
    }

    public func blockNumber() async throws(ChainClientError) -> UInt64 {
        try await request(.blockNumber)
    }

    /// The block `tag` names, or `nil` when it does not exist yet. `.pending` is refused: the
    /// pending block has no hash.
    public func getBlock(_ tag: BlockTag) async throws(ChainClientError) -> BlockHeader? {
        guard tag != .pending else { throw .invalidArgument("the pending block has no hash; ask for a mined block") }
        return try await request(.getBlock(tag))
    }

    public func getBlock(hash: Bytes32) async throws(ChainClientError) -> BlockHeader? {
        try await request(.getBlock(hash: hash))
    }

    public func getLogs(_ filter: LogFilter) async throws(ChainClientError) -> [Log] {
        try filter.validate()
        return try await request(.getLogs(filter))
    }

    public func getTransactionCount(_ address: Address, _ tag: BlockTag = .latest) async throws(ChainClientError) -> UInt64 {
        try await request(.getTransactionCount(address, tag))
    }

    /// Fee history of up to `blockCount` blocks ending at `newest`; `percentiles` must rise within 0…100.
    public func feeHistory(
        blockCount: UInt64, newest: BlockTag = .latest,
        percentiles: [Double] = []
    ) async throws(ChainClientError) -> FeeHistory {
        guard percentiles.allSatisfy({ (0...100).contains($0) }), zip(percentiles, percentiles.dropFirst()).allSatisfy(<=) else {
            throw .invalidArgument("reward percentiles must rise monotonically within 0...100")
        }
        return try await request(.feeHistory(blockCount: blockCount, newest: newest, percentiles: percentiles))
    }

    public func gasPrice() async throws(ChainClientError) -> UInt256 {
        try await request(.gasPrice)
    }

    public func maxPriorityFeePerGas() async throws(ChainClientError) -> UInt256 {
        try await request(.maxPriorityFeePerGas)
    }

    public func estimateGas(_ call: CallRequest) async throws(ChainClientError) -> UInt64 {
        try await request(.estimateGas(call))
    }

    /// Runs `call` against the state at `tag` without a transaction; returns the output bytes.
    public func call(_ call: CallRequest, at tag: BlockTag = .latest) async throws(ChainClientError) -> [UInt8] {
        try await request(.call(call, tag))
    }

    public func getTransactionReceipt(_ hash: Bytes32) async throws(ChainClientError) -> TransactionReceipt? {
        try await request(.getTransactionReceipt(hash))
    }

    public func getTransactionByHash(_ hash: Bytes32) async throws(ChainClientError) -> TransactionDetails? {
        try await request(.getTransactionByHash(hash))
    }

    public func getBalance(_ address: Address, _ tag: BlockTag = .latest) async throws(ChainClientError) -> UInt256 {
        try await request(.getBalance(address, tag))
    }

    public func getCode(_ address: Address, _ tag: BlockTag = .latest) async throws(ChainClientError) -> [UInt8] {
        try await request(.getCode(address, tag))
    }
}
