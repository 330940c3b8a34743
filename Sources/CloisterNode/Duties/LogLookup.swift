import CloisterClient
import Ethereum
import Oracle

/// Finds the events of one request by its id (the first indexed topic), walking back from a block in
/// ranges the provider accepts: the `Requested` log behind a result, the `Fulfilled` log behind a dispute.
struct LogLookup: Sendable {
    let contracts: DeployedContracts
    let windows: LogWindows

    /// The latest log of `event` from `contract` about `id` at or before block `before`, if any.
    func latest(_ event: ABIEvent, from contract: Address, id: Bytes32, before: UInt64) async throws -> ChainLog? {
        try await windows.latest([contract], topics: [[event.topic], [id]], through: before, floor: contracts.deploymentBlock)
    }

    /// The request `id` as its `Requested` event announced it, with the log's stored form.
    /// The caller has read a later event of `id` (a fulfilment, a dispute), so the chain holds its
    /// `Requested` log: an endpoint that returns none is lagging, and the scan is retried
    /// (``EventNotServed``) rather than the duty dropped.
    func request(_ id: Bytes32, before: UInt64) async throws -> (request: PendingRequest, stored: [UInt8]) {
        guard let log = try await latest(CloisterContract.requested, from: contracts.core, id: id, before: before) else {
            throw EventNotServed(event: "Requested", id: id, before: before)
        }
        return (try PendingRequest(topics: log.topics, data: log.data), PendingRequest.stored(topics: log.topics, data: log.data))
    }

    /// The fulfilment of `id` as it stood when its dispute opened: from its `Fulfilled` log, verified if a
    /// `Verified` log precedes block `before`.
    func disputedFulfilment(_ id: Bytes32, before: UInt64) async throws -> Fulfilment {
        guard let log = try await latest(CloisterContract.fulfilled, from: contracts.core, id: id, before: before) else {
            throw EventNotServed(event: "Fulfilled", id: id, before: before)
        }
        var fulfilment = try FulfilledEvent(log).fulfilment(block: log.block.number)
        fulfilment.state = .disputed
        if let verified = try await latest(ArbiterContract.verified, from: contracts.arbiter, id: id, before: before),
            verified.block.number >= log.block.number
        {
            fulfilment.verifier = try VerifiedEvent(verified).verifier
        }
        return fulfilment
    }
}

/// An event the chain must hold (a later event of the same request was read) that the endpoint did not
/// return: it lags behind, or answers for another chain state. The scan stops and is retried.
struct EventNotServed: Error, CustomStringConvertible {
    let event: String
    let id: Bytes32
    let before: UInt64

    var description: String {
        "the endpoint returned no \(event) event for request \(id) up to block \(before), which the chain must hold; "
            + "the endpoint is lagging or wrong (check chain.rpc), and the duty scan is retried"
    }
}
