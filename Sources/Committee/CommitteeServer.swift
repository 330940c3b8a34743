import Attestation
import ChainClient
import CloisterClient
import Ethereum
import Foundation
import Hummingbird
import Logging
import Secp256k1
import ServiceLifecycle

/// `cloister committee serve`: one attestation committee member as an HTTP service.
package enum CommitteeServer {
    /// Serves until SIGTERM or SIGINT. `simulationSeed` makes the member trust the simulated TEE's root
    /// built from that seed instead of Intel's: only for chains that are not public.
    package static func serve(
        rpcURL: String?, deploymentPath: String, key: PrivateKey, host: String, port: Int, simulationSeed: String?,
        maxValiditySeconds: UInt64, logger: Logger, onListening: @escaping @Sendable (String) -> Void
    ) async throws {
        guard (0...65_535).contains(port) else { throw CommitteeServerError.badPort(port) }
        let deployment = try Deployment.load(path: deploymentPath)
        let address = Address(publicKey: key.publicKey)
        if let rpcURL {
            let client = try RPCClient(configuration: RPCClientConfiguration(url: rpcURL))
            let reported = try await client.chainId()
            guard reported == deployment.chainID else {
                throw CommitteeServerError.chainMismatch(endpoint: rpcURL, found: reported, expected: deployment.chainID)
            }
            // Acceptances signed by a key that is not a member are refused on chain: do not serve them.
            let isMember = try ABIFunction(signature: "isMember(address)", returns: "(bool)")
            let answer = try await client.call(CallRequest(to: deployment.committee, data: try isMember.encodeCall([.address(address)])))
            guard try isMember.decodeResult(answer)[0].asBool() else {
                throw CommitteeServerError.notAMember(address, committee: deployment.committee)
            }
        } else {
            logger.warning(
                "no --rpc: this member's key cannot be checked against the committee's members at start",
                metadata: ["member": "\(address)", "committee": "\(deployment.committee)"])
        }
        let anchor: TrustAnchor
        if let simulationSeed {
            let consent = try SimulationConsent(chainID: deployment.chainID, acknowledgement: SimulationConsent.acknowledgement)
            logger.warning("\(consent.banner); this committee member trusts the simulation root")
            anchor = try SimulationPKI(seed: Array(simulationSeed.utf8)).trustAnchor
        } else {
            anchor = .intelSGXRootCA
        }
        let member = CommitteeMember(
            key: key, verifier: DCAPVerifier(trustAnchor: anchor), deployment: deployment,
            maxValidity: TimeInterval(maxValiditySeconds))
        let app = CommitteeAPI.application(member: member, host: host, port: port, logger: logger) { bound in
            logger.notice("committee member ready", metadata: ["member": "\(member.address)", "chain_id": "\(deployment.chainID)"])
            onListening("committee: listening on http://\(host):\(bound)")
        }
        let group = ServiceGroup(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }
}

/// Why a committee member refuses to start.
enum CommitteeServerError: Error, CustomStringConvertible {
    case badPort(Int)
    case notAMember(Address, committee: Address)
    case chainMismatch(endpoint: String, found: UInt64, expected: UInt64)

    var description: String {
        switch self {
        case let .chainMismatch(endpoint, found, expected):
            "the JSON-RPC endpoint \(endpoint) is on chain \(found), not \(expected): point --rpc and --deployment at the same chain"
        case .badPort(let port): "--port \(port) is not a TCP port: use 1 to 65535, or 0 to pick a free one"
        case let .notAMember(address, committee):
            "the key \(address) is not a member of the committee at \(committee): its acceptances would be refused on chain. "
                + "Use a member's keystore, or have the committee's owner add this address (setCommittee)"
        }
    }
}
