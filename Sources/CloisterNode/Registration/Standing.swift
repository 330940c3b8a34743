import ChainClient
import CloisterClient
import Ethereum
import Foundation
import CloisterConfiguration
import Oracle
import Secp256k1

/// Judges the node's standing from what the chain shows: the registry's record of the node, the
/// protocol's parameters and the enclave's own signer. One place, so `/readyz`, `/v1/status`, the log and
/// `cloister node status` say the same thing.
enum Standing {
    /// Warn this long before the attestation expires.
    static let expiryWarning: UInt64 = 86_400

    /// The standing of `registration`'s node as the chain shows it at its latest block.
    static func read(_ registration: NodeRegistration, client: RPCClient, deployment: Deployment) async throws -> NodeStanding {
        let node = try await NodeDirectory(client: client, deployment: deployment).node(registration.nodeID)
        let parameters = try await client.parameters(in: deployment)
        let now = try await client.getBlock(.latest)?.timestamp ?? 0
        return assess(node, nodeID: registration.nodeID, signer: registration.signer, parameters: parameters, now: now)
    }

    static func assess(_ node: RegisteredNode?, nodeID: UInt256, signer: Address, parameters: ProtocolParameters, now: UInt64) -> NodeStanding {
        guard let node else {
            return NodeStanding(
                status: "unregistered", stakeWei: "0", minStakeWei: "\(parameters.minStake)", unbondAt: nil, keyIsCurrent: false,
                attestationExpiry: 0, problems: ["node \(nodeID) is not registered on this deployment: run `cloister node register`"],
                warnings: [])
        }
        var problems: [String] = []
        var warnings: [String] = []
        let keyIsCurrent = node.signer == signer
        if !keyIsCurrent {
            problems.append(
                "the node's registered key is now \(node.signer), not this enclave's \(signer) (rotated away): "
                    + "the chain refuses this process's results; stop it and run the node with the new key")
        }
        switch node.status {
        case .jailed?:
            problems.append(
                "jailed on chain: stake \(node.stake) wei is below the minimum \(parameters.minStake) wei after a slash; "
                    + "top up the stake to return, or `cloister node exit`")
        case .exiting?:
            problems.append("exiting: the node takes no new requests; its stake unlocks at \(node.unbondAt) (then `cloister node withdraw`)")
        case .active?:
            if node.stake == .zero {
                problems.append("no stake: register again with a stake of at least \(parameters.minStake) wei")
            } else if node.stake < parameters.minStake {
                problems.append("stake \(node.stake) wei is below the minimum \(parameters.minStake) wei: top it up")
            } else if let margin = slashMargin(stake: node.stake, parameters: parameters) {
                warnings.append(margin)
            }
        case nil:
            problems.append("the registry reports an unknown status for node \(node.id)")
        }
        if node.attestationExpiry <= now {
            problems.append("the attestation expired at \(node.attestationExpiry): renew it with `cloister node register --renew`")
        } else if node.attestationExpiry <= now + parameters.minResponseTime {
            problems.append(
                "the attestation expires at \(node.attestationExpiry), within the minimum response time: requests are no longer "
                    + "drawn to this node; renew it with `cloister node register --renew`")
        } else if node.attestationExpiry <= now + expiryWarning {
            warnings.append("the attestation expires at \(node.attestationExpiry), within a day: renew it with `cloister node register --renew`")
        }
        return NodeStanding(
            status: node.status.map { "\($0)" } ?? "unknown", stakeWei: "\(node.stake)", minStakeWei: "\(parameters.minStake)",
            unbondAt: node.status == .exiting ? node.unbondAt : nil, keyIsCurrent: keyIsCurrent,
            attestationExpiry: node.attestationExpiry, problems: problems, warnings: warnings)
    }

    /// A warning when one slash for a missed deadline would leave the stake below the minimum (the node
    /// would be jailed), with the stake that leaves a margin; nil when there is one.
    static func slashMargin(stake: UInt256, parameters: ProtocolParameters) -> String? {
        let kept = UInt256(10_000 - min(parameters.timeoutSlashBps, 10_000))
        guard kept > .zero, stake * kept / UInt256(10_000) < parameters.minStake else { return nil }
        let safe = (parameters.minStake * UInt256(10_000) + kept - UInt256(1)) / kept
        return "stake \(stake) wei leaves no margin above the minimum \(parameters.minStake) wei: one missed deadline "
            + "(a \(parameters.timeoutSlashBps) bps slash) jails the node; stake at least \(safe) wei"
    }
}

/// `cloister node status`: what the running node's `/readyz` and `/v1/status` would say of its standing,
/// for a node that is stopped (or to check one from another shell): found by this enclave's signer, or
/// by the operator's wallet when the key was rotated away.
package enum NodeStatusCommand {
    /// The report's lines, and whether the node can take work.
    package static func report(configuration: NodeConfiguration, operatorKey: PrivateKey) async throws -> (lines: [String], canWork: Bool) {
        let context = try await NodeContext.open(configuration)
        let enclave = try EnclaveEnvironment.open(configuration.enclave, chainID: context.deployment.chainID) { _ in }
        let signer = await enclave.keyring.signer
        let registration: NodeRegistration
        if let found = try await RegistrationLookup(client: context.client, deployment: context.deployment).registration(of: signer) {
            registration = found
        } else {
            let node = try await OperatorActions.operatorsNode(context, operator: Address(publicKey: operatorKey.publicKey), nodeID: nil)
            registration = NodeRegistration(nodeID: node.id, signer: signer, attestationDigest: node.attestationDigest, expiry: node.attestationExpiry)
        }
        let standing = try await Standing.read(registration, client: context.client, deployment: context.deployment)
        var running = "not running"
        if let holder = try? await StoreOpener.activity(configuration.store, purpose: "node status").holder { running = "running (\(holder))" }
        let time = ISO8601DateFormatter()
        var lines = [
            "node \(registration.nodeID): \(standing.status), \(running)",
            "stake: \(EtherText.ether(standing.stakeWei)) (minimum \(EtherText.ether(standing.minStakeWei)))",
            "enclave signer: \(signer)" + (standing.keyIsCurrent ? " (the node's registered key)" : " (NOT the node's registered key)"),
            "attestation valid until: \(time.string(from: Date(timeIntervalSince1970: TimeInterval(standing.attestationExpiry))))"
        ]
        if let unbond = standing.unbondAt { lines.append("stake unlocks at: \(time.string(from: Date(timeIntervalSince1970: TimeInterval(unbond))))") }
        lines += standing.problems.map { "problem: \($0)" } + standing.warnings.map { "warning: \($0)" }
        lines.append(standing.canWork ? "ready: the chain shows this node can take work" : "not ready: fix the problems above")
        return (lines, standing.canWork)
    }
}

/// Wei as people read it: decimal ETH with the wei in brackets.
enum EtherText {
    static func ether(_ weiText: String) -> String {
        guard let wei = try? UInt256(parsing: weiText) else { return "\(weiText) wei" }
        let unit = UInt256(1_000_000_000_000_000_000)
        let whole = wei / unit, fraction = wei % unit
        var digits = "\(fraction)"
        digits = String(repeating: "0", count: max(0, 18 - digits.count)) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole)\(digits.isEmpty ? "" : "." + digits) ETH (\(weiText) wei)"
    }
}
