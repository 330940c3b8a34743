import Ethereum
import Foundation

/// The live state the services update and the operator API reads.
package actor NodeState {
    private var status: NodeStatus
    private var lastChainContact: Date?
    /// Services whose last round failed, with the error.
    private var failingServices: [String: String] = [:]
    private let maxHeadLag: UInt64

    package init(status: NodeStatus, maxHeadLag: UInt64) {
        self.status = status
        self.maxHeadLag = maxHeadLag
    }

    package var current: NodeStatus { status }

    func watched(head: UInt64?, nextBlock: UInt64?) {
        status.head = head
        status.nextBlock = nextBlock
        lastChainContact = Date()
    }

    func failing(_ service: String, _ error: String) {
        failingServices[service] = error
    }

    func recovered(_ service: String) {
        failingServices[service] = nil
    }

    /// The chain answered (the watcher read the head), whatever became of the rest of its step.
    func chainAnswered() {
        lastChainContact = Date()
    }

    func dispatched(consecutiveFaults: Int, lastFault: NodeFault?) {
        status.consecutiveNodeFaults = consecutiveFaults
        status.lastNodeFault = lastFault?.reason
    }

    func submitted(_ report: SubmitterReport) {
        status.feesAboveCap = report.feesAboveCap
        status.insufficientFunds = report.insufficientFunds
        if let problem = report.lastProblem { status.lastSubmissionProblem = problem }
    }

    /// Adds what a duty scan or keeper pass did to the status totals.
    package func recordDuties(_ report: DutyReport) {
        status.duties.add(report)
    }

    /// A renewed attestation: readiness and status follow its expiry.
    package func attested(expiry: UInt64) {
        status.attestationExpiry = expiry
    }

    /// The node as the chain shows it now; returns the previous standing.
    @discardableResult
    package func stands(_ standing: NodeStanding) -> NodeStanding? {
        defer { status.standing = standing }
        return status.standing
    }

    func counted(_ counts: [JobState: Int]) {
        status.jobs = Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) })
    }

    /// The checks behind `/readyz`: chain reachable, caught up, key loaded, attestation valid.
    package func readiness(now: Date = Date()) -> [ReadinessCheck] {
        let reachable = lastChainContact.map { now.timeIntervalSince($0) < 30 } ?? false
        let lag = status.head.flatMap { head in status.nextBlock.map { head >= $0 ? head - $0 + 1 : 0 } }
        let expiry = status.attestationExpiry
        return [
            ReadinessCheck(name: "chain", ok: reachable, detail: reachable ? "head \(status.head ?? 0)" : "no answer from the chain in 30 s"),
            ReadinessCheck(name: "caught_up", ok: (lag ?? .max) <= maxHeadLag, detail: lag.map { "\($0) blocks behind" } ?? "not scanned yet"),
            ReadinessCheck(name: "enclave_key", ok: status.enclaveSigner != .zero, detail: "signer \(status.enclaveSigner)"),
            ReadinessCheck(
                name: "attestation", ok: expiry > UInt64(now.timeIntervalSince1970),
                detail: status.warning ?? "valid until \(expiry)"),
            ReadinessCheck(
                name: "services", ok: failingServices.isEmpty,
                detail: failingServices.isEmpty ? "running" : failingServices.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ")),
            ReadinessCheck(
                name: "standing", ok: status.standing?.canWork ?? false,
                detail: status.standing.map { $0.problems.isEmpty ? "\($0.status), stake \($0.stakeWei) wei" : $0.problems.joined(separator: "; ") }
                    ?? "not read from the chain yet")
        ]
    }
}
