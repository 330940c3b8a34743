import CloisterClient
import Logging
import Oracle
import ServiceLifecycle

/// The node's registration as last read from the chain. A renewal (`cloister node register --renew`)
/// takes effect in a running node within one refresh: results then carry the new attestation.
actor CurrentRegistration {
    private(set) var value: NodeRegistration

    init(_ value: NodeRegistration) {
        self.value = value
    }

    func update(_ registration: NodeRegistration) {
        value = registration
    }
}

/// Re-reads the registration every `interval` (one `nodes(id)` call, not a log scan) and publishes a
/// renewal to the executor and to status.
struct RegistrationRefreshService: Service {
    let directory: NodeDirectory
    let current: CurrentRegistration
    let state: NodeState
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            let known = await current.value
            do {
                guard let node = try await directory.node(known.nodeID), node.signer == known.signer else {
                    logger.error("this enclave's key is no longer the node's registered key; results will be refused", metadata: ["signer": "\(known.signer)"])
                    continue
                }
                let latest = NodeRegistration(nodeID: node.id, signer: node.signer, attestationDigest: node.attestationDigest,
                                              expiry: node.attestationExpiry)
                if latest != known {
                    await current.update(latest)
                    await state.attested(expiry: latest.expiry)
                    logger.notice("attestation renewed", metadata: ["node_id": "\(latest.nodeID)", "attestation": "\(latest.attestationDigest)",
                                                                    "valid_until": "\(latest.expiry)"])
                }
            } catch {
                logger.debug("could not re-read the registration", metadata: ["error": "\(error)"])
            }
        }
    }
}
