import CloisterClient
import Ethereum
import Oracle

/// Reads the settlement contract's `Requested` events and makes an executor job of every request
/// assigned to this node.
package struct CloisterLogInterpreter: LogInterpreter {
    let contract: Address
    /// This node's id in the registry.
    let nodeID: UInt256

    package init(contract: Address, nodeID: UInt256) {
        self.contract = contract
        self.nodeID = nodeID
    }

    package var addresses: [Address] { [contract] }
    package var eventTopics: [Bytes32] { [PendingRequest.event.topic] }

    package func jobs(from log: ChainLog) throws -> [Job] {
        let request = try PendingRequest(topics: log.topics, data: log.data)
        guard request.node == nodeID else { return [] }
        return [
            Job(
                key: JobKey(requestID: request.id, role: .executor), model: request.model,
                request: PendingRequest.stored(topics: log.topics, data: log.data), observedIn: log.block,
                logIndex: log.logIndex, deadline: request.deadline.uint64 ?? .max)
        ]
    }
}
