import ChainClient
import Ethereum

/// What a refund did: the fee credited back, and the node's stake slashed for the timeout.
public struct Refund: Sendable, Equatable {
    public let requestID: Bytes32
    /// The account the fee was credited to: the request's sender (a contract, when one requested).
    public let creditedTo: Address
    public let fee: UInt256
    /// Slashed from the assigned node and burned (locked in the core for good): nobody is paid it.
    public let slashed: UInt256
}

extension Requester {
    /// Takes back the fee of a request nobody answered before its deadline (`refund`): the fee is credited
    /// to the requester, to `withdraw()`; the stake slashed from the assigned node is burned, so no
    /// requester profits from a timeout.
    public func refund(_ id: Bytes32) async throws -> Refund {
        let filter = LogFilter(
            addresses: [deployment.core], topics: [[CloisterContract.requested.topic], [id]],
            range: .blocks(from: .number(deployment.deploymentBlock), to: .latest))
        guard let log = try await client.getLogs(filter).last(where: { !$0.removed }) else { throw RequestError.unknownRequest(id) }
        let request = try PendingRequest(topics: log.topics, data: log.data)
        let stored = try await client.call(CallRequest(to: deployment.core, data: try CloisterContract.requests.encodeCall([.bytes32(id)])))
        guard try CloisterContract.requests.decodeResult(stored)[0].asBytes32() == Keccak256.hash(ABI.encode([request.requestTuple])) else {
            throw RequestError.notPending(id)
        }
        let deadline = request.deadline.uint64 ?? .max
        guard let head = try await client.getBlock(.latest), head.timestamp > deadline else {
            throw RequestError.notYetRefundable(id, deadline: deadline)
        }
        let logs = try await OneShotTransaction(client: client, chainID: deployment.chainID, key: key)
            .send(to: deployment.core, data: try CloisterContract.refund.encodeCall([request.requestTuple]), value: .zero)
        guard let refunded = logs.first(where: { $0.address == deployment.core && $0.topics.first == CloisterContract.refunded.topic }) else {
            throw RequestError.malformedResult
        }
        let values = try CloisterContract.refunded.decodeLog(topics: refunded.topics, data: refunded.data)
        return Refund(requestID: id, creditedTo: try values[1].asAddress(), fee: try values[2].asUInt(), slashed: try values[3].asUInt())
    }
}
