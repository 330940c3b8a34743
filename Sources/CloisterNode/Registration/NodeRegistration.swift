import Ethereum

/// This node's registration as the chain records it: the node id requests are assigned to, and the
/// attestation whose digest and expiry every result must carry (the contract checks
/// `keccak256(abi.encode(signer, attestationDigest, expiry))` against the node's key).
struct NodeRegistration: Sendable, Equatable {
    let nodeID: UInt256
    let signer: Address
    let attestationDigest: Bytes32
    let expiry: UInt64
}
