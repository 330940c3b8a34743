import ChainClient
import CloisterClient
import Ethereum
import Foundation
import CloisterConfiguration
import Secp256k1

/// The operator's money and exit: `cloister node exit` (stop taking work; the stake unbonds) and
/// `cloister node withdraw` (the unbonded stake, then every credit: fees, refunds, slash shares).
package enum OperatorActions {
    /// Starts unbonding the operator's node; returns a one-line summary.
    package static func exit(configuration: NodeConfiguration, operatorKey: PrivateKey, nodeID: UInt256?) async throws -> String {
        let context = try await NodeContext.open(configuration)
        let node = try await operatorsNode(context, operator: Address(publicKey: operatorKey.publicKey), nodeID: nodeID)
        guard node.status == .active || node.status == .jailed else { return "node \(node.id) is already exiting (stake unlocks at \(node.unbondAt))" }
        _ = try await OneShotTransaction(client: context.client, chainID: context.deployment.chainID, key: operatorKey)
            .send(to: context.deployment.core, data: try CloisterContract.exit.encodeCall([.uint(node.id)]), value: .zero)
        let after = try await NodeDirectory(client: context.client, deployment: context.deployment).node(node.id)
        return "node \(node.id) is exiting: it takes no new requests; its stake unlocks at \(after?.unbondAt ?? 0) (Unix time); then run `cloister node withdraw`"
    }

    /// Withdraws the unbonded stake (if the node has exited and unbonded) and every credit; returns a summary.
    package static func withdraw(configuration: NodeConfiguration, operatorKey: PrivateKey, nodeID: UInt256?) async throws -> String {
        let context = try await NodeContext.open(configuration)
        let operatorAddress = Address(publicKey: operatorKey.publicKey)
        let sender = OneShotTransaction(client: context.client, chainID: context.deployment.chainID, key: operatorKey)
        var lines: [String] = []
        let node = try await operatorsNode(context, operator: operatorAddress, nodeID: nodeID)
        let now = try await context.client.getBlock(.latest)?.timestamp ?? 0
        if node.status == .exiting, node.stake > .zero {
            if now >= node.unbondAt {
                _ = try await sender.send(to: context.deployment.core, data: try CloisterContract.withdrawStake.encodeCall([.uint(node.id)]), value: .zero)
                lines.append("stake of node \(node.id) (\(node.stake) wei) credited")
            } else {
                lines.append("stake of node \(node.id) still unbonding until \(node.unbondAt)")
            }
        }
        let owed = try await context.client.credits(of: operatorAddress, in: context.deployment)
        if owed > .zero {
            _ = try await sender.send(to: context.deployment.core, data: try CloisterContract.withdraw.encodeCall([]), value: .zero)
            lines.append("withdrew \(owed) wei to \(operatorAddress)")
        } else {
            lines.append("nothing credited to \(operatorAddress)")
        }
        return lines.joined(separator: "\n")
    }

    /// The node `nodeID`, or the one node registered by `operator`.
    static func operatorsNode(_ context: NodeContext, operator: Address, nodeID: UInt256?) async throws -> RegisteredNode {
        let directory = NodeDirectory(client: context.client, deployment: context.deployment)
        let id: UInt256
        if let nodeID {
            id = nodeID
        } else {
            let operatorTopic = Bytes32(ABI.encode([.address(`operator`)]))!
            let logs = try await context.client.getLogs(
                LogFilter(
                    addresses: [context.deployment.core], topics: [[CloisterContract.nodeRegistered.topic], nil, [operatorTopic]],
                    range: .blocks(from: .number(context.deployment.deploymentBlock), to: .latest)))
            let ids = Set(logs.filter { !$0.removed && $0.topics.count > 1 }.map { UInt256($0.topics[1]) })
            guard ids.count == 1, let only = ids.first else {
                throw OperatorActionError.ambiguousNode(operator: `operator`, found: ids.sorted { $0 < $1 })
            }
            id = only
        }
        guard let node = try await directory.node(id), node.operatorAddress == `operator` else {
            throw OperatorActionError.notOperator(node: id, operator: `operator`)
        }
        return node
    }
}

/// Why an operator action could not pick its node.
enum OperatorActionError: Error, CustomStringConvertible {
    case ambiguousNode(operator: Address, found: [UInt256])
    case notOperator(node: UInt256, operator: Address)

    var description: String {
        switch self {
        case let .ambiguousNode(operatorAddress, found) where found.isEmpty:
            "no node is registered by operator \(operatorAddress); run `cloister node register` first"
        case let .ambiguousNode(operatorAddress, found):
            "operator \(operatorAddress) registered nodes \(found.map { "\($0)" }.joined(separator: ", ")); choose one with --node-id"
        case let .notOperator(node, operatorAddress):
            "node \(node) does not exist or is not operated by \(operatorAddress)"
        }
    }
}
