import CloisterClient
import Ethereum
import Foundation
import Oracle

/// What the node knows about a result it is party to, kept as a tracked result's body until nothing is
/// left to do: settle it (executor), resolve its dispute, deliver the corrected output (winning side).
struct ResultRecord: Hashable, Sendable, Codable {
    /// The `Requested` log, in ``PendingRequest/stored(topics:data:)`` form.
    var request: [UInt8]
    var executor: UInt256
    /// The fulfilment as the core now hashes it (its state and verifier follow the arbiter's events).
    var fulfilment: Fulfilment
    /// This node's parts in it.
    var parts: Set<JobRole>
    var challenger: UInt256?
    var challengerCommitment: Bytes32?

    /// The stored form; `closedAt` is the block of the event that ended it, nil while it is open.
    func tracked(id: Bytes32, closedAt: UInt64?) -> TrackedResult {
        TrackedResult(requestID: id, body: Array((try? JSONEncoder.sorted.encode(self)) ?? Data()), closedAt: closedAt)
    }

    init(request: [UInt8], executor: UInt256, fulfilment: Fulfilment, parts: Set<JobRole>) {
        self.request = request
        self.executor = executor
        self.fulfilment = fulfilment
        self.parts = parts
    }

    init(tracked: TrackedResult) throws {
        self = try JSONDecoder().decode(ResultRecord.self, from: Data(tracked.body))
    }

    func pendingRequest() throws -> PendingRequest {
        try PendingRequest(stored: request)
    }
}
