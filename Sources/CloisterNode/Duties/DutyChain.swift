import Ethereum
import Oracle

/// The duties' port to the chain: what the duty scanner, the keeper and the money totals read, and
/// nothing else. `RPCChain` implements it over JSON-RPC; the tests run the duties against a chain held in
/// memory. The contracts' calls and events are encoded and decoded above it, in ``DeployedContracts``.
protocol DutyChain: ChainReader {
    /// The newest block's number and timestamp (nil when the endpoint serves none).
    func latestBlock() async throws -> HeadBlock?
    /// Logs of `addresses` in blocks `range` whose topics match `topics` position by position (each a
    /// list of alternatives; a shorter list leaves the later topics free). A provider that refuses the
    /// range as too large throws a ``LogRangeTooLarge``.
    func logs(addresses: [Address], topics: [[Bytes32]], in range: ClosedRange<UInt64>) async throws -> [ChainLog]
    /// The answer of a read-only call (`eth_call` at the latest block).
    func call(to contract: Address, data: [UInt8]) async throws -> [UInt8]
    /// The calldata of transaction `hash` (nil when the endpoint does not know it): where a key holder reads
    /// the quote an enclave enrolled with.
    func transactionInput(_ hash: Bytes32) async throws -> [UInt8]?
}

extension DutyChain {
    func logs(addresses: [Address], eventTopics: [Bytes32], in range: ClosedRange<UInt64>) async throws -> [ChainLog] {
        try await logs(addresses: addresses, topics: [eventTopics], in: range)
    }
}

/// The newest block as the keeper judges its actions by: windows close by block number and by time.
struct HeadBlock: Hashable, Sendable {
    let number: UInt64
    let timestamp: UInt64
}
