import ChainClient
import Ethereum
import Oracle

/// The node's chain, read and written through the JSON-RPC client: the one place where the Oracle's
/// transport-free protocols and the duties' port meet JSON-RPC, and where the client's errors are turned
/// into the meanings the services act on.
struct RPCChain: ChainReader, ChainWriter, DutyChain {
    let client: RPCClient

    func headNumber() async throws -> UInt64 {
        try await client.blockNumber()
    }

    func block(_ number: UInt64) async throws -> ScannedBlock? {
        try await client.getBlock(.number(number)).map {
            ScannedBlock(number: $0.number, hash: $0.hash, parentHash: $0.parentHash, logsBloom: $0.logsBloom)
        }
    }

    func receiptLogs(of block: BlockRef, addresses: [Address], eventTopics: [Bytes32]) async throws -> [ChainLog]? {
        guard let header = try await client.getBlock(hash: block.hash) else { return nil }
        var logs: [ChainLog] = []
        for hash in header.transactionHashes {
            guard let receipt = try await client.getTransactionReceipt(hash), receipt.blockHash == block.hash else { return nil }
            logs += receipt.logs.filter { log in
                !log.removed && addresses.contains(log.address) && log.topics.first.map(eventTopics.contains) == true
            }.map(ChainLog.init)
        }
        return logs
    }

    func logs(addresses: [Address], topics: [[Bytes32]], in range: ClosedRange<UInt64>) async throws -> [ChainLog] {
        let filter = LogFilter(
            addresses: addresses, topics: topics,
            range: .blocks(from: .number(range.lowerBound), to: .number(range.upperBound)))
        let logs: [Log]
        do {
            logs = try await client.getLogs(filter)
        } catch {
            if case .rpc(let refusal) = error, RangeRefusal.matches(refusal) { throw RangeRefusal(message: refusal.message) }
            throw error
        }
        return logs.filter { !$0.removed }.map(ChainLog.init)
    }

    func latestBlock() async throws -> HeadBlock? {
        try await client.getBlock(.latest).map { HeadBlock(number: $0.number, timestamp: $0.timestamp) }
    }

    func call(to contract: Address, data: [UInt8]) async throws -> [UInt8] {
        try await client.call(CallRequest(to: contract, data: data))
    }

    func transactionInput(_ hash: Bytes32) async throws -> [UInt8]? {
        try await client.getTransactionByHash(hash)?.input
    }

    func minedNonce(of address: Address) async throws -> UInt64 {
        try await client.getTransactionCount(address, .latest)
    }

    /// The next block's base fee and the median tip of the last 10 blocks (at least 1 gwei, so a
    /// quiet chain still gets transactions in quickly).
    func feeQuote() async throws -> FeeQuote {
        let history = try await client.feeHistory(blockCount: 10, newest: .latest, percentiles: [50])
        return FeeQuote(baseFee: history.nextBaseFee, priorityFee: history.medianTip())
    }

    /// A refusal that means the call cannot succeed (it reverts, or needs more gas than a block holds)
    /// becomes ``CallReverts``; anything else (a timeout, a 503, a rate limit, a backend without the
    /// state) is thrown as it is, and the submitter asks again.
    func estimateGas(from: Address, to: Address, value: UInt256, data: [UInt8]) async throws -> UInt64 {
        do {
            return try await client.estimateGas(CallRequest(from: from, to: to, value: value, data: data))
        } catch {
            if case .rpc(let refusal) = error, Self.meansRevert(refusal) { throw CallReverts(reason: refusal.message) }
            throw error
        }
    }

    func succeeds(from: Address, to: Address, value: UInt256, data: [UInt8], gas: UInt64) async throws -> Bool {
        do {
            _ = try await client.call(CallRequest(from: from, to: to, gas: gas, value: value, data: data))
            return true
        } catch {
            if case .rpc(let refusal) = error, Self.meansRevert(refusal) { return false }
            throw error
        }
    }

    static func meansRevert(_ error: RPCError) -> Bool {
        if case .executionReverted = error.kind { return true }
        let text = error.message.lowercased()
        return ["gas required exceeds", "out of gas", "invalid opcode", "stack underflow", "invalid jump"].contains { text.contains($0) }
    }

    func broadcast(_ raw: [UInt8]) async throws -> BroadcastOutcome {
        do {
            _ = try await client.sendRawTransaction(raw)
            return .accepted
        } catch {
            guard case .rpc(let error) = error else { throw error }
            switch error.kind {
            case .alreadyKnown: return .alreadyKnown
            case .nonceTooLow: return .nonceTooLow
            case .underpriced, .replacementUnderpriced: return .underpriced
            case .insufficientFunds: return .insufficientFunds
            case .nonceTooHigh, .executionReverted, .rateLimited, .other: return .rejected(error.message)
            }
        }
    }

    func receipt(of hash: Bytes32) async throws -> Oracle.TransactionReceipt? {
        try await client.getTransactionReceipt(hash).map { receipt in
            Oracle.TransactionReceipt(
                transactionHash: receipt.transactionHash, block: BlockRef(number: receipt.blockNumber, hash: receipt.blockHash),
                succeeded: receipt.succeeded, gasUsed: receipt.gasUsed, effectiveGasPrice: receipt.effectiveGasPrice)
        }
    }

    func blockHash(_ number: UInt64) async throws -> Bytes32? {
        try await client.getBlock(.number(number))?.hash
    }

    func balance(of address: Address) async throws -> UInt256 {
        try await client.getBalance(address)
    }
}

/// A provider's refusal of a log query as too wide. Providers say so in different words (Infura
/// "query returned more than 10000 results", Alchemy "block range … too large", geth-style
/// "exceed maximum block range", QuickNode "limited to a 10,000 block range"); code -32005 is the
/// common limit code. The watcher halves its range and asks again.
struct RangeRefusal: LogRangeTooLarge, CustomStringConvertible {
    let message: String
    var description: String { "provider refused the log range: \(message)" }

    static func matches(_ error: RPCError) -> Bool {
        let text = error.message.lowercased()
        return error.code == -32005 || ["more than", "range", "too many", "limit exceeded"].contains { text.contains($0) }
    }
}

extension ChainLog {
    init(_ log: Log) {
        self.init(
            address: log.address, topics: log.topics, data: log.data, block: BlockRef(number: log.blockNumber, hash: log.blockHash),
            logIndex: log.logIndex, transactionHash: log.transactionHash)
    }
}
