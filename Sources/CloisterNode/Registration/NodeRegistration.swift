import Ethereum

/// This node's registration as the chain records it: the node id requests are assigned to, and the
/// attestation whose digest and expiry every result must carry (the contract checks
/// `keccak256(abi.encode(signer, attestationDigest, expiry))` against the node's key).
package struct NodeRegistration: Sendable, Equatable {
    package let nodeID: UInt256
    package let signer: Address
    package let attestationDigest: Bytes32
    package let expiry: UInt64

    package init(nodeID: UInt256, signer: Address, attestationDigest: Bytes32, expiry: UInt64) {
        self.nodeID = nodeID
        self.signer = signer
        self.attestationDigest = attestationDigest
        self.expiry = expiry
    }
}
