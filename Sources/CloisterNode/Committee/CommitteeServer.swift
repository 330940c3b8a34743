import Attestation
import ChainClient
import CloisterClient
import Foundation
import Hummingbird
import Logging
import Secp256k1
import ServiceLifecycle

/// `cloister committee serve`: one attestation committee member as an HTTP service.
public enum CommitteeServer {
    /// Serves until SIGTERM or SIGINT. `simulationSeed` makes the member trust the simulated TEE's root
    /// built from that seed instead of Intel's: only for chains that are not public.
    public static func serve(rpcURL: String?, deploymentPath: String, key: PrivateKey, host: String, port: Int, simulationSeed: String?,
                             maxValiditySeconds: UInt64, logger: Logger, onListening: @escaping @Sendable (String) -> Void) async throws {
        let deployment = try Deployment.load(path: deploymentPath)
        if let rpcURL {
            let reported = try await ChainClient(configuration: ChainClientConfiguration(url: rpcURL)).chainId()
            guard reported == deployment.chainID else {
                throw NodeContextError.chainMismatch(what: "the JSON-RPC endpoint \(rpcURL)", found: reported, expected: deployment.chainID)
            }
        }
        let anchor: TrustAnchor
        if let simulationSeed {
            let consent = try SimulationConsent(chainID: deployment.chainID, acknowledgement: SimulationConsent.acknowledgement)
            logger.warning("\(consent.banner); this committee member trusts the simulation root")
            anchor = try SimulationPKI(seed: Array(simulationSeed.utf8)).trustAnchor
        } else {
            anchor = .intelSGXRootCA
        }
        let member = CommitteeMember(key: key, verifier: DCAPVerifier(trustAnchor: anchor), deployment: deployment,
                                     maxValidity: TimeInterval(maxValiditySeconds))
        let app = CommitteeAPI.application(member: member, host: host, port: port, logger: logger) { bound in
            logger.notice("committee member ready", metadata: ["member": "\(member.address)", "chain_id": "\(deployment.chainID)"])
            onListening("committee: listening on http://\(host):\(bound)")
        }
        let group = ServiceGroup(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }
}
