import ChainClient
import Ethereum

/// Reads the registered nodes from the registry's views.
public struct NodeDirectory: Sendable {

    let client: RPCClient
    let deployment: Deployment

    public init(client: RPCClient, deployment: Deployment) {
        self.client = client
        self.deployment = deployment
    }

    /// Every node ever registered, in id order (ids start at 1).
    public func all() async throws -> [RegisteredNode] {
        let countData = try await client.call(CallRequest(to: deployment.core, data: try CloisterContract.nodeCount.encodeCall([])))
        let count = try ABI.decode([.uint(bits: 256)], from: countData)[0].asUInt().uint64 ?? 0
        var nodes: [RegisteredNode] = []
        for id in 0..<min(count, 4_096) {
            if let node = try await node(UInt256(id + 1)) { nodes.append(node) }
        }
        return nodes
    }

    /// Node `id`, or nil if it was never registered.
    public func node(_ id: UInt256) async throws -> RegisteredNode? {
        let data = try await client.call(CallRequest(to: deployment.core, data: try CloisterContract.nodes.encodeCall([.uint(id)])))
        return try RegisteredNode(id: id, returnData: data)
    }

    /// The nodes that can serve `model` now (by the chain's latest block time).
    public func eligible(for model: Bytes32) async throws -> [RegisteredNode] {
        let time = try await client.getBlock(.latest)?.timestamp ?? 0
        return try await all().filter { $0.isEligible(for: model, at: time) }
    }
}
