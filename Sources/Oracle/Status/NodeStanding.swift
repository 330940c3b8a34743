/// The node as the chain sees it — registered, active, staked, attested under this enclave's key — in
/// `/v1/status`, behind the `standing` check of `/readyz`, and printed by `cloister node status`.
package struct NodeStanding: Sendable, Codable, Equatable {
    /// The registry's status: `active`, `exiting`, `jailed`, or `unregistered`.
    package var status: String
    /// Decimal wei.
    package var stakeWei: String
    package var minStakeWei: String
    /// When an exiting node's stake unlocks (Unix time), if it is exiting.
    package var unbondAt: UInt64?
    /// Whether the key registered for the node is this enclave's.
    package var keyIsCurrent: Bool
    package var attestationExpiry: UInt64
    /// Why the node cannot take work now, in plain words with the fix; empty when it can.
    package var problems: [String]
    /// What needs attention soon without stopping work (an attestation near its expiry, no margin of
    /// stake above the minimum for a slash).
    package var warnings: [String]

    package init(
        status: String, stakeWei: String, minStakeWei: String, unbondAt: UInt64?, keyIsCurrent: Bool, attestationExpiry: UInt64,
        problems: [String], warnings: [String]
    ) {
        self.status = status
        self.stakeWei = stakeWei
        self.minStakeWei = minStakeWei
        self.unbondAt = unbondAt
        self.keyIsCurrent = keyIsCurrent
        self.attestationExpiry = attestationExpiry
        self.problems = problems
        self.warnings = warnings
    }

    package var canWork: Bool { problems.isEmpty }
}
