import ChainClient
import Enclave
import Ethereum

/// Why a wrap proof was not sent.
public enum WrapProofError: Error, Equatable, CustomStringConvertible {
    /// The secrets file is for another request.
    case otherRequest(Bytes32)
    /// The node was not a recipient of the envelope (not in the secrets file).
    case notARecipient(UInt256)
    /// The request was not fulfilled (no `Fulfilled` event).
    case notFulfilled(Bytes32)
    /// The core's record is not the result as fulfilled (already settled, verified or disputed).
    case resultMoved(Bytes32)
    /// Checked locally: the revealed secret does not open the wrap; the contract would revert.
    case wrapDoesNotOpen(node: UInt256, index: Int)

    public var description: String {
        switch self {
        case .otherRequest(let id): "the wrap secrets file is for request \(id)"
        case .notARecipient(let node): "node \(node) is not a recipient in the wrap secrets file"
        case .notFulfilled(let id): "request \(id) has no Fulfilled event"
        case .resultMoved(let id): "the core's record of \(id) is no longer the result as fulfilled (settled, verified or disputed)"
        case let .wrapDoesNotOpen(node, index): "entry \(index) of node \(node) does not open with its secret: the wrap was broken, the node was right"
        }
    }
}

extension Requester {
    /// Proves on chain that `node`'s wrap (its entry in the envelope of request `secrets.requestID`) was
    /// good, after it answered "decryption failed": `Arbiter.proveWrap(req, ful, node, input, index, e)`.
    /// The wrap is checked locally first; the fulfilment sent is the one the `Fulfilled` event announced
    /// (state FULFILLED, no verifier), checked against the core's record.
    public func proveWrap(node: UInt256, secrets: WrapSecretsFile) async throws -> [Log] {
        let id = secrets.requestID
        guard let entry = secrets.entry(for: node) else { throw WrapProofError.notARecipient(node) }
        let requested = try await lastLog(CloisterContract.requested, id: id)
        guard let requested else { throw RequestError.unknownRequest(id) }
        let request = try PendingRequest(topics: requested.topics, data: requested.data)
        guard request.id == id else { throw WrapProofError.otherRequest(request.id) }
        let envelope = try Envelope(bytes: request.input)
        guard envelope.wrapOpens(at: entry.index, ephemeralSecret: entry.ephemeralSecret) else {
            throw WrapProofError.wrapDoesNotOpen(node: node, index: entry.index)
        }
        guard let fulfilled = try await lastLog(CloisterContract.fulfilled, id: id) else { throw WrapProofError.notFulfilled(id) }
        let values = try CloisterContract.fulfilled.decodeLog(topics: fulfilled.topics, data: fulfilled.data)
        // (outputCommitment, fulfilledBlock, fulfilledAt, state FULFILLED, verifier 0, status, paramsVersion)
        let fulfilment = ABIValue.tuple([
            .bytes32(try values[3].asBytes32()), .uint(UInt256(fulfilled.blockNumber)), .uint(try values[4].asUInt()),
            .uint(1), .uint(.zero), .uint(try values[2].asUInt()), .uint(try values[7].asUInt())
        ])
        let record = try await client.call(CallRequest(to: deployment.core, data: try CloisterContract.requests.encodeCall([.bytes32(id)])))
        guard try CloisterContract.requests.decodeResult(record)[0].asBytes32() == Keccak256.hash(ABI.encode([request.requestTuple, fulfilment])) else {
            throw WrapProofError.resultMoved(id)
        }
        let data = try ArbiterContract.proveWrap.encodeCall([
            request.requestTuple, fulfilment, .uint(node), .bytes(request.input),
            .uint(UInt256(UInt64(entry.index))), .uint(entry.ephemeralSecretWord)
        ])
        return try await OneShotTransaction(client: client, chainID: deployment.chainID, key: key)
            .send(to: deployment.arbiter, data: data, value: .zero)
    }

    private func lastLog(_ event: ABIEvent, id: Bytes32) async throws -> Log? {
        let filter = LogFilter(
            addresses: [deployment.core], topics: [[event.topic], [id]],
            range: .blocks(from: .number(deployment.deploymentBlock), to: .latest))
        return try await client.getLogs(filter).last(where: { !$0.removed })
    }
}
