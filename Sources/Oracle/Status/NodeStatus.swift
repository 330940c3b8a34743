import Ethereum

/// What `/v1/status` reports: who the node is, where it stands, and anything an operator should know.
package struct NodeStatus: Sendable, Codable, Equatable {
    package var version: String
    package var chainID: UInt64
    package var operatorAddress: Address
    package var enclaveSigner: Address
    /// `tdx` or `simulated`.
    package var tee: String
    /// Repeated in the status of a simulated TEE so nobody mistakes it for a real one.
    package var warning: String?
    package var head: UInt64?
    package var nextBlock: UInt64?
    package var jobs: [String: Int]
    package var consecutiveNodeFaults: Int
    package var lastNodeFault: String?
    package var lastSubmissionProblem: String?
    package var feesAboveCap: Bool
    package var insufficientFunds: Bool
    /// Unix time until which the enclave's attestation is accepted on chain.
    package var attestationExpiry: UInt64
    /// Verifications, juries, challenges, disputes, slashes, earnings and pending credits since the start.
    package var duties = DutyReport()
    /// The node as the chain last showed it (nil until first read).
    package var standing: NodeStanding?

    package init(
        version: String, chainID: UInt64, operatorAddress: Address, enclaveSigner: Address, tee: String, warning: String?,
        head: UInt64?, nextBlock: UInt64?, jobs: [String: Int], consecutiveNodeFaults: Int, lastNodeFault: String?,
        lastSubmissionProblem: String?, feesAboveCap: Bool, insufficientFunds: Bool, attestationExpiry: UInt64
    ) {
        self.version = version
        self.chainID = chainID
        self.operatorAddress = operatorAddress
        self.enclaveSigner = enclaveSigner
        self.tee = tee
        self.warning = warning
        self.head = head
        self.nextBlock = nextBlock
        self.jobs = jobs
        self.consecutiveNodeFaults = consecutiveNodeFaults
        self.lastNodeFault = lastNodeFault
        self.lastSubmissionProblem = lastSubmissionProblem
        self.feesAboveCap = feesAboveCap
        self.insufficientFunds = insufficientFunds
        self.attestationExpiry = attestationExpiry
    }
}

/// One readiness check and its verdict.
package struct ReadinessCheck: Sendable, Codable, Equatable {
    package let name: String
    package let ok: Bool
    package let detail: String
}
