import ChainClient
import Ethereum

/// Everything the chain says about one request, read from its events (one log query): what was asked,
/// the result posted, and where it stands — for `cloister result` and anyone following a request.
public struct RequestHistory: Sendable {
    /// Where a request stands, by its latest event.
    public enum Stage: String, Sendable {
        /// Waiting for its node; refundable once `deadline` has passed.
        case pending
        /// Not answered and past its deadline: `cloister refund` takes the fee back.
        case refundable
        case fulfilled
        case verified
        case disputed
        /// The jury decided; `winner` tells whom it agreed with.
        case resolved
        /// The jury overturned the result and the winning side delivered the corrected output.
        case corrected
        case settled
        case refunded
    }

    /// The result as a `Fulfilled` (or `CorrectedDelivered`) event carried it.
    public struct Posted: Sendable {
        public let status: UInt8
        /// In clear for a plaintext request; the encrypted output for a confidential one.
        public let output: [UInt8]
        /// The commitment the enclave signed (nil for a corrected delivery, which carries none).
        public let commitment: Bytes32?
        public let callbackOk: Bool
        public let block: UInt64
        /// For a plaintext request: whether `output` matches the commitment (keccak(id‖status‖output)).
        /// Nil for a confidential one: only the holder of the output key can check it.
        public let commitmentMatches: Bool?
    }

    public let request: PendingRequest
    public let requestBlock: UInt64
    public let stage: Stage
    /// The executor's result, if it answered.
    public let fulfilment: Posted?
    /// The corrected output delivered after an overturned dispute, if any.
    public let correction: Posted?

    /// The request `id` as the chain shows it at its latest block.
    public static func read(_ id: Bytes32, client: RPCClient, deployment: Deployment) async throws -> RequestHistory {
        let events = [
            CloisterContract.requested, CloisterContract.fulfilled, CloisterContract.settled, CloisterContract.refunded,
            ArbiterContract.verified, ArbiterContract.disputeOpened, ArbiterContract.disputeResolved, ArbiterContract.correctedDelivered
        ]
        let filter = LogFilter(
            addresses: [deployment.core, deployment.arbiter], topics: [events.map(\.topic), [id]],
            range: .blocks(from: .number(deployment.deploymentBlock), to: .latest))
        let logs = try await client.getLogs(filter).filter { !$0.removed }.sorted { ($0.blockNumber, $0.logIndex) < ($1.blockNumber, $1.logIndex) }
        guard let requested = logs.last(where: { $0.topics.first == CloisterContract.requested.topic }) else {
            throw RequestError.unknownRequest(id)
        }
        let request = try PendingRequest(topics: requested.topics, data: requested.data)
        var fulfilment: Posted?
        var correction: Posted?
        var stage = Stage.pending
        for log in logs where log.blockNumber >= requested.blockNumber {
            switch log.topics.first {
            case CloisterContract.fulfilled.topic?:
                let values = try CloisterContract.fulfilled.decodeLog(topics: log.topics, data: log.data)
                let status = try Self.status(values[2])
                let output = try values[6].asBytes()
                let commitment = try values[3].asBytes32()
                fulfilment = Posted(
                    status: status, output: output, commitment: commitment, callbackOk: try values[5].asBool(), block: log.blockNumber,
                    commitmentMatches: request.outputKey.isEmpty ? Keccak256.hash(id.bytes + [status] + output) == commitment : nil)
                stage = .fulfilled
            case ArbiterContract.verified.topic?: stage = .verified
            case ArbiterContract.disputeOpened.topic?: stage = .disputed
            case ArbiterContract.disputeResolved.topic?: stage = .resolved
            case ArbiterContract.correctedDelivered.topic?:
                let values = try ArbiterContract.correctedDelivered.decodeLog(topics: log.topics, data: log.data)
                correction = Posted(
                    status: try Self.status(values[2]), output: try values[4].asBytes(), commitment: nil,
                    callbackOk: try values[3].asBool(), block: log.blockNumber, commitmentMatches: nil)
                stage = .corrected
            case CloisterContract.settled.topic?: stage = .settled
            case CloisterContract.refunded.topic?: stage = .refunded
            default: break
            }
        }
        if stage == .pending, let head = try await client.getBlock(.latest), UInt256(head.timestamp) > request.deadline {
            stage = .refundable
        }
        return RequestHistory(request: request, requestBlock: requested.blockNumber, stage: stage, fulfilment: fulfilment, correction: correction)
    }

    private static func status(_ value: ABIValue) throws -> UInt8 {
        guard let status = try value.asUInt().uint64.flatMap(UInt8.init(exactly:)) else { throw RequestError.malformedResult }
        return status
    }
}
