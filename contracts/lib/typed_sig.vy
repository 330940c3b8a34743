# pragma version 0.4.3
"""
@title EIP-712 signatures of enclave keys
@notice Domain {name: "Cloister", version: "1", chainId, verifyingContract} and the
        Result type every executor, verifier and juror signs.
"""

DOMAIN_TYPEHASH: constant(bytes32) = keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")
NAME_HASH: constant(bytes32) = keccak256("Cloister")
VERSION_HASH: constant(bytes32) = keccak256("1")
RESULT_TYPEHASH: constant(bytes32) = keccak256("Result(bytes32 requestId,bytes32 model,bytes32 inputHash,bytes32 outputCommitment,bytes32 attestationDigest)")

# Half the secp256k1 group order: signatures with a larger s are malleable copies.
HALF_ORDER: constant(uint256) = 57896044618658097711785492504343953926418782139537452191302581570759080747168


@view
def domain_separator(verifying_contract: address) -> bytes32:
    # Computed per call so a chain split changes the domain (about 100 gas).
    return keccak256(abi_encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, chain.id, verifying_contract))


@view
def result_digest(verifying_contract: address, request_id: bytes32, model: bytes32, input_hash: bytes32, output_commitment: bytes32, attestation_digest: bytes32) -> bytes32:
    struct_hash: bytes32 = keccak256(abi_encode(RESULT_TYPEHASH, request_id, model, input_hash, output_commitment, attestation_digest))
    return keccak256(concat(b"\x19\x01", self.domain_separator(verifying_contract), struct_hash))


@pure
def recover(digest: bytes32, v: uint256, r: bytes32, s: bytes32) -> address:
    """@dev Reverts on high-s or a bad v; returns the signer otherwise."""
    assert convert(s, uint256) <= HALF_ORDER, "sig: high s"
    assert v == 27 or v == 28, "sig: bad v"
    signer: address = ecrecover(digest, v, r, s)
    assert signer != empty(address), "sig: invalid"
    return signer
