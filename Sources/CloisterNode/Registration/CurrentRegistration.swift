import ChainClient
import CloisterClient
import Logging
import Oracle
import ServiceLifecycle

/// The node's registration as last read from the chain. A renewal (`cloister node register --renew`)
/// takes effect in a running node within one refresh: results then carry the new attestation.
package actor CurrentRegistration {
    private(set) var value: NodeRegistration

    package init(_ value: NodeRegistration) {
        self.value = value
    }

    func update(_ registration: NodeRegistration) {
        value = registration
    }
}

/// Reads the node's record (one `nodes(id)` call, not a log scan) and the parameters at start and every
/// `interval`: publishes a renewal to the executor, and the node's standing (jailed, exiting, unstaked,
/// key rotated away, attestation expired or near) to readiness, status, the metric and the log — a line
/// each time the problems or warnings change.
struct RegistrationRefreshService: Service {
    let client: RPCClient
    let deployment: Deployment
    let current: CurrentRegistration
    let state: NodeState
    let metrics: NodeMetrics
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await refresh()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    func refresh() async {
        let known = await current.value
        do {
            let node = try await NodeDirectory(client: client, deployment: deployment).node(known.nodeID)
            let parameters = try await client.parameters(in: deployment)
            let now = try await client.getBlock(.latest)?.timestamp ?? 0
            let standing = Standing.assess(node, nodeID: known.nodeID, signer: known.signer, parameters: parameters, now: now)
            let previous = await state.stands(standing)
            metrics.record(standing)
            if previous?.problems != standing.problems || previous?.warnings != standing.warnings {
                if !standing.problems.isEmpty {
                    logger.error("the chain shows this node cannot take work", metadata: ["problems": "\(standing.problems.joined(separator: "; "))"])
                } else if previous.map({ !$0.problems.isEmpty }) ?? false {
                    logger.notice("the chain shows this node can take work again", metadata: ["status": "\(standing.status)", "stake_wei": "\(standing.stakeWei)"])
                }
                for warning in standing.warnings { logger.warning("standing", metadata: ["warning": "\(warning)"]) }
            }
            guard let node, node.signer == known.signer else { return }
            let latest = NodeRegistration(nodeID: node.id, signer: node.signer, attestationDigest: node.attestationDigest, expiry: node.attestationExpiry)
            if latest != known {
                await current.update(latest)
                await state.attested(expiry: latest.expiry)
                logger.notice(
                    "attestation renewed",
                    metadata: [
                        "node_id": "\(latest.nodeID)", "attestation": "\(latest.attestationDigest)",
                        "valid_until": "\(latest.expiry)"
                    ])
            }
        } catch {
            logger.debug("could not re-read the registration", metadata: ["error": "\(error)"])
        }
    }
}
