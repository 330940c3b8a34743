import Ethereum
import Secp256k1
@testable import Oracle

/// A chain with a mempool, held in memory, with the rules the submitter depends on: nonces in order,
/// replacements only with a 10% fee bump, inclusion when a block is mined, and reorgs that undo it.
/// The node's integration tests cover the real chain; this one makes every rule exact.
actor InMemoryMempool: ChainWriter {
    struct Mined { let transaction: SignedEIP1559Transaction; let block: BlockRef; let succeeded: Bool; var hash: Bytes32 { transaction.hash } }

    private(set) var head: UInt64 = 100
    private var minedNonce: UInt64 = 0
    private var pool: [UInt64: SignedEIP1559Transaction] = [:]
    private var mined: [Bytes32: Mined] = [:]
    private var blockTag = 0
    private var hashes: [UInt64: Bytes32] = [:]
    var baseFee: UInt256 = 1_000_000_000
    var funds: UInt256 = 1_000_000_000_000_000_000
    var revertingCalldata: Set<[UInt8]> = []
    var estimateFailsFor: Set<[UInt8]> = []
    /// Estimates still to fail with an error that is not a revert (a timeout, a 503).
    var transientEstimateFailures = 0
    /// While set, the endpoint lags: it reports a head this many blocks old and serves no block above it.
    var lag: UInt64 = 0
    private(set) var broadcasts = 0
    private(set) var estimates = 0
    /// Every transaction in a block, in nonce order.
    var minedTransactions: [Mined] { mined.values.sorted { $0.transaction.transaction.nonce < $1.transaction.transaction.nonce } }
    private(set) var simulations = 0

    func set(baseFee: UInt256) { self.baseFee = baseFee }
    func set(funds: UInt256) { self.funds = funds }
    func failEstimate(for calldata: [UInt8]) { estimateFailsFor.insert(calldata) }
    func failEstimatesTransiently(_ count: Int) { transientEstimateFailures = count }
    func revert(calldata: [UInt8]) { revertingCalldata.insert(calldata) }
    func stopReverting(calldata: [UInt8]) { revertingCalldata.remove(calldata) }
    func set(lag: UInt64) { self.lag = lag }

    /// Mines one block holding every pool transaction in nonce order, when its fee covers the base fee.
    func mine() {
        head += 1
        hashes[head] = Keccak256.hash(Array("b\(head)-\(blockTag)".utf8))
        while let next = pool[minedNonce], next.transaction.maxFeePerGas >= baseFee {
            mined[next.hash] = Mined(transaction: next, block: BlockRef(number: head, hash: hashOf(head)), succeeded: !revertingCalldata.contains(next.transaction.data))
            pool[minedNonce] = nil
            minedNonce += 1
        }
    }

    /// Undoes the inclusions in blocks above `number`; their transactions return to the pool only when
    /// `resubmit` (geth does; load-balanced providers and sequencers may not).
    func reorganise(above number: UInt64, resubmit: Bool) {
        blockTag += 1
        let undone = mined.values.filter { $0.block.number > number }
        for entry in undone {
            mined[entry.hash] = nil
            minedNonce -= 1
            if resubmit { pool[entry.transaction.transaction.nonce] = entry.transaction }
        }
        head = number
        hashes = hashes.filter { $0.key <= number }
    }

    /// Forgets every pending transaction, as when a broadcast never reached the network.
    func dropPool() { pool = [:] }

    var poolSize: Int { pool.count }
    var nonceOnChain: UInt64 { minedNonce }

    private func hashOf(_ number: UInt64) -> Bytes32 { hashes[number] ?? Keccak256.hash(Array("b\(number)".utf8)) }

    func headNumber() async throws -> UInt64 { head - min(lag, head) }
    func minedNonce(of address: Address) async throws -> UInt64 { minedNonce }
    func feeQuote() async throws -> FeeQuote { FeeQuote(baseFee: baseFee, priorityFee: 1_000_000_000) }

    func estimateGas(from: Address, to: Address, value: UInt256, data: [UInt8]) async throws -> UInt64 {
        struct Unavailable: Error {}
        estimates += 1
        if estimateFailsFor.contains(data) { throw CallReverts(reason: "execution reverted") }
        if transientEstimateFailures > 0 {
            transientEstimateFailures -= 1
            throw Unavailable()
        }
        return Self.gasNeeded(data)
    }

    /// What a call needs here: 50,000 and 16 a byte of calldata.
    static func gasNeeded(_ data: [UInt8]) -> UInt64 { 50_000 + UInt64(data.count) * 16 }

    func succeeds(from: Address, to: Address, value: UInt256, data: [UInt8], gas: UInt64) async throws -> Bool {
        simulations += 1
        return !estimateFailsFor.contains(data) && gas >= Self.gasNeeded(data)
    }

    func broadcast(_ raw: [UInt8]) async throws -> BroadcastOutcome {
        broadcasts += 1
        guard case .eip1559(let signed) = try SignedTransaction(rawBytes: raw) else { return .rejected("only type 2") }
        let transaction = signed.transaction
        if mined[signed.hash] != nil { return .alreadyKnown }
        guard transaction.nonce >= minedNonce else { return .nonceTooLow }
        let cost = (try? UInt256(transaction.gasLimit).multiplied(by: transaction.maxFeePerGas)) ?? .max
        guard cost <= funds else { return .insufficientFunds }
        if let existing = pool[transaction.nonce] {
            if existing.hash == signed.hash { return .alreadyKnown }
            let needed = existing.transaction.maxFeePerGas * 110 / 100
            guard transaction.maxFeePerGas >= needed, transaction.maxPriorityFeePerGas >= existing.transaction.maxPriorityFeePerGas * 110 / 100 else {
                return .underpriced
            }
        }
        pool[transaction.nonce] = signed
        return .accepted
    }

    func receipt(of hash: Bytes32) async throws -> TransactionReceipt? {
        mined[hash].map { TransactionReceipt(transactionHash: $0.hash, block: $0.block, succeeded: $0.succeeded, gasUsed: 50_000, effectiveGasPrice: baseFee) }
    }

    func blockHash(_ number: UInt64) async throws -> Bytes32? { number + lag <= head ? hashOf(number) : nil }
    func balance(of address: Address) async throws -> UInt256 { funds }
}

/// Encodes a batch as the concatenation of its request inputs, so tests can see what was sent.
struct ConcatenatingEncoder: FulfilmentEncoder {
    func contract(for role: JobRole) -> Address { Address(Array(repeating: 0xCC, count: 20))! }
    let maxBatch: Int
    func canBatch(_ job: Job) -> Bool { job.request.count < 100 }
    /// A job whose request starts with "agree" stands for a challenge check that agreed: no transaction.
    func needsTransaction(_ job: Job) -> Bool { !job.request.starts(with: Array("agree".utf8)) }
    func calldata(for jobs: [Job]) throws -> [UInt8] { jobs.flatMap(\.request) }
    func value(for jobs: [Job]) -> UInt256 { .zero }
}
