import CloisterNode
import Ethereum
import Oracle

/// The chain of the node benchmark: recorded blocks of `Requested` logs replayed from memory, and a
/// writer that includes every broadcast transaction in the next block. It does as little as it can so
/// that the process's CPU time is the node's.
actor ReplayChain: ChainReader, ChainWriter {
    private let recorded: [[ChainLog]]
    private var head: UInt64
    private var pending: [Bytes32] = []
    private var included: [Bytes32: BlockRef] = [:]
    private(set) var transactions: UInt64 = 0

    /// `recorded[i]` holds the logs of block `i + 1`.
    init(recorded: [[ChainLog]]) {
        self.recorded = recorded
        head = UInt64(recorded.count)
    }

    /// Mines a block holding every pending transaction.
    func mine() {
        head += 1
        for hash in pending { included[hash] = BlockRef(number: head, hash: Self.hash(head)) }
        pending.removeAll()
    }

    static func hash(_ number: UInt64) -> Bytes32 {
        Bytes32(UInt256(number).bytes32.bytes.reversed())!
    }

    func headNumber() async throws -> UInt64 { head }

    func block(_ number: UInt64) async throws -> ScannedBlock? {
        number <= head ? ScannedBlock(number: number, hash: Self.hash(number), parentHash: Self.hash(number - 1)) : nil
    }

    func logs(addresses: [Address], eventTopics: [Bytes32], in range: ClosedRange<UInt64>) async throws -> [ChainLog] {
        let last = min(range.upperBound, UInt64(recorded.count))
        guard range.lowerBound <= last else { return [] }
        return recorded[Int(range.lowerBound - 1)..<Int(last)].flatMap { $0 }
    }

    func receiptLogs(of block: BlockRef, addresses: [Address], eventTopics: [Bytes32]) async throws -> [ChainLog]? {
        try await logs(addresses: addresses, eventTopics: eventTopics, in: block.number...block.number)
    }

    func minedNonce(of address: Address) async throws -> UInt64 { UInt64(included.count) }
    func feeQuote() async throws -> FeeQuote { FeeQuote(baseFee: 1_000_000_000, priorityFee: 1_000_000_000) }
    func estimateGas(from: Address, to: Address, value: UInt256, data: [UInt8]) async throws -> UInt64 { 1_000_000 }
    func succeeds(from: Address, to: Address, value: UInt256, data: [UInt8], gas: UInt64) async throws -> Bool { true }

    func broadcast(_ raw: [UInt8]) async throws -> BroadcastOutcome {
        pending.append(Keccak256.hash(raw))
        transactions += 1
        return .accepted
    }

    func receipt(of hash: Bytes32) async throws -> TransactionReceipt? {
        included[hash].map { TransactionReceipt(transactionHash: hash, block: $0, succeeded: true, gasUsed: 750_000, effectiveGasPrice: 2_000_000_000) }
    }

    func blockHash(_ number: UInt64) async throws -> Bytes32? { number <= head ? Self.hash(number) : nil }
    func balance(of address: Address) async throws -> UInt256 { UInt256(1).shiftedLeft(by: 100) }
}
