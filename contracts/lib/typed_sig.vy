# pragma version 0.4.3
"""
@title EIP-712 signatures of enclave keys
@notice Domain {name: "Cloister", version: "2", chainId, verifyingContract} and the
        Result type every executor, verifier, challenger and juror signs. A signature covers
        every field that is posted (status, output) plus the node posting it and the role it
        posts in, so nobody can change a result, lend it to another node or reuse it in
        another role (docs/protocol.md, "Signatures").
"""

DOMAIN_TYPEHASH: constant(bytes32) = keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")
NAME_HASH: constant(bytes32) = keccak256("Cloister")
VERSION_HASH: constant(bytes32) = keccak256("2")
# The committee keeps its own domain version.
COMMITTEE_VERSION_HASH: constant(bytes32) = keccak256("1")
RESULT_TYPEHASH: constant(bytes32) = keccak256("Result(bytes32 requestId,uint256 node,uint8 role,bytes32 model,bytes32 inputHash,uint8 status,bytes32 outputHash,bytes32 outputCommitment,bytes32 attestationDigest)")

# The role a Result signature is made for.
ROLE_EXECUTE: constant(uint256) = 1
ROLE_VERIFY: constant(uint256) = 2
ROLE_CHALLENGE: constant(uint256) = 3
ROLE_VOTE: constant(uint256) = 4

# Half the secp256k1 group order: signatures with a larger s are malleable copies.
HALF_ORDER: constant(uint256) = 57896044618658097711785492504343953926418782139537452191302581570759080747168


@view
def domain_separator(verifying_contract: address) -> bytes32:
    # Computed per call so a chain split changes the domain (about 100 gas).
    return keccak256(abi_encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, chain.id, verifying_contract))


@view
def result_digest(verifying_contract: address, request_id: bytes32, node: uint256, role: uint256, model: bytes32, input_hash: bytes32, status: uint256, output_hash: bytes32, output_commitment: bytes32, attestation_digest: bytes32) -> bytes32:
    struct_hash: bytes32 = keccak256(abi_encode(RESULT_TYPEHASH, request_id, node, role, model, input_hash, status, output_hash, output_commitment, attestation_digest))
    return keccak256(concat(b"\x19\x01", self.domain_separator(verifying_contract), struct_hash))


@pure
def recover(digest: bytes32, v: uint256, r: bytes32, s: bytes32) -> address:
    """@dev Reverts on high-s or a bad v; returns the signer otherwise."""
    assert convert(s, uint256) <= HALF_ORDER, "sig: high s"
    assert v == 27 or v == 28, "sig: bad v"
    signer: address = ecrecover(digest, v, r, s)
    assert signer != empty(address), "sig: invalid"
    return signer
