import Ethereum

/// What `/v1/status` reports: who the node is, where it stands, and anything an operator should know.
public struct NodeStatus: Sendable, Codable, Equatable {
    public var version: String
    public var chainID: UInt64
    public var operatorAddress: Address
    public var enclaveSigner: Address
    /// `tdx` or `simulated`.
    public var tee: String
    /// Repeated in the status of a simulated TEE so nobody mistakes it for a real one.
    public var warning: String?
    public var head: UInt64?
    public var nextBlock: UInt64?
    public var jobs: [String: Int]
    public var consecutiveNodeFaults: Int
    public var lastNodeFault: String?
    public var lastSubmissionProblem: String?
    public var feesAboveCap: Bool
    public var insufficientFunds: Bool
    /// Unix time until which the enclave's attestation is accepted on chain.
    public var attestationExpiry: UInt64
    /// Verifications, juries, challenges, disputes, slashes, earnings and pending credits since the start.
    public var duties = DutyReport()
    /// The node as the chain last showed it (nil until first read).
    public var standing: NodeStanding?

    public init(version: String, chainID: UInt64, operatorAddress: Address, enclaveSigner: Address, tee: String, warning: String?,
                head: UInt64?, nextBlock: UInt64?, jobs: [String: Int], consecutiveNodeFaults: Int, lastNodeFault: String?,
                lastSubmissionProblem: String?, feesAboveCap: Bool, insufficientFunds: Bool, attestationExpiry: UInt64) {
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
public struct ReadinessCheck: Sendable, Codable, Equatable {
    public let name: String
    public let ok: Bool
    public let detail: String
}
