import Ethereum

/// What a node's fee estimate is built from.
package struct FeeQuote: Hashable, Sendable {
    /// The next block's base fee per gas.
    package let baseFee: UInt256
    /// A priority fee that gets a transaction into the next blocks.
    package let priorityFee: UInt256

    package init(baseFee: UInt256, priorityFee: UInt256) {
        self.baseFee = baseFee
        self.priorityFee = priorityFee
    }
}

/// What the network said to a broadcast, by meaning rather than by any one client's wording.
package enum BroadcastOutcome: Equatable, Sendable {
    case accepted
    /// The node already has this exact transaction: as good as accepted.
    case alreadyKnown
    /// The nonce was used by a transaction already in a block.
    case nonceTooLow
    /// A replacement without a large enough fee bump, or a fee below the pool's minimum.
    case underpriced
    case insufficientFunds
    /// Any other refusal, with the node's message.
    case rejected(String)
}

/// A receipt as the submitter needs it.
package struct TransactionReceipt: Hashable, Sendable {
    package let transactionHash: Bytes32
    package let block: BlockRef
    package let succeeded: Bool
    package let gasUsed: UInt64
    package let effectiveGasPrice: UInt256

    package init(transactionHash: Bytes32, block: BlockRef, succeeded: Bool, gasUsed: UInt64, effectiveGasPrice: UInt256) {
        self.transactionHash = transactionHash
        self.block = block
        self.succeeded = succeeded
        self.gasUsed = gasUsed
        self.effectiveGasPrice = effectiveGasPrice
    }
}

/// The estimator's answer that a call reverts: a meaning the submitter acts on by failing the job,
/// unlike a transport error or a busy endpoint, after which it asks again.
package struct CallReverts: Error, Equatable, Sendable {
    package let reason: String

    package init(reason: String) {
        self.reason = reason
    }
}

/// The chain operations the submitter needs. The node passes its JSON-RPC client.
package protocol ChainWriter: Sendable {
    func headNumber() async throws -> UInt64
    /// The number of transactions from `address` in blocks (the next nonce the chain expects).
    func minedNonce(of address: Address) async throws -> UInt64
    func feeQuote() async throws -> FeeQuote
    /// Throws ``CallReverts`` when the node says the call reverts; any other error is taken as
    /// transient.
    func estimateGas(from: Address, to: Address, value: UInt256, data: [UInt8]) async throws -> UInt64
    /// Whether the call completes with `gas` at the latest block: one simulation (`eth_call`). False when
    /// it reverts or runs out of gas; any other error is thrown and taken as transient.
    func succeeds(from: Address, to: Address, value: UInt256, data: [UInt8], gas: UInt64) async throws -> Bool
    func broadcast(_ raw: [UInt8]) async throws -> BroadcastOutcome
    func receipt(of hash: Bytes32) async throws -> TransactionReceipt?
    /// The hash of block `number` on the current chain, to tell whether an inclusion survived; nil
    /// when the endpoint does not serve that block (yet).
    func blockHash(_ number: UInt64) async throws -> Bytes32?
    func balance(of address: Address) async throws -> UInt256
}

/// Turns signed jobs into a call to the contract that takes their results.
package protocol FulfilmentEncoder: Sendable {
    /// The contract that takes results of jobs in `role` (fulfilments, verifications, votes, challenges).
    func contract(for role: JobRole) -> Address
    /// The most results one transaction carries.
    var maxBatch: Int { get }
    /// Whether `job`'s result may travel in a batch (a batch may cap output sizes); others go alone.
    func canBatch(_ job: Job) -> Bool
    /// Whether `job`'s result needs a transaction at all (a challenge check that agrees does not).
    func needsTransaction(_ job: Job) -> Bool
    /// Calldata submitting these jobs' results (one: a single fulfilment; several: a batch). All jobs
    /// passed share a role.
    func calldata(for jobs: [Job]) throws -> [UInt8]
    /// The value the call carries (a challenge's bond).
    func value(for jobs: [Job]) -> UInt256
    /// A gas limit that certainly suffices for these jobs' call unless it reverts, or nil. With one, the
    /// submitter checks the call once at that limit instead of asking for an estimate, whose search runs
    /// the call a dozen times when a callback's gas must be reserved (see ``Submitter``).
    func gasBound(for jobs: [Job]) -> UInt64?
}

extension FulfilmentEncoder {
    package func gasBound(for jobs: [Job]) -> UInt64? { nil }
}
