# pragma version 0.4.3
"""
@title Accepting signed results and delivering them to callbacks
"""

from . import types
from . import typed_sig

# Gas kept back for the work after a callback returns (event, bookkeeping).
CALLBACK_RESERVE: constant(uint256) = 8000
CALLBACK_SELECTOR: constant(bytes4) = method_id("cloisterCallback(bytes32,uint8,bytes)", output_type=bytes4)


@view
def check(core: address, node_key: bytes32, node: uint256, role: uint256, request_id: bytes32, model: bytes32, input_hash: bytes32, plaintext: bool, res: types.Result):
    self.check_fields(core, node_key, node, role, request_id, model, input_hash, plaintext, res.status, res.output, res.outputCommitment, res.attestationDigest, res.attestationExpiry, res.v, res.r, res.s)


@view
def check_fields(core: address, node_key: bytes32, node: uint256, role: uint256, request_id: bytes32, model: bytes32, input_hash: bytes32, plaintext: bool, status: uint256, output: Bytes[types.MAX_OUTPUT], output_commitment: bytes32, attestation_digest: bytes32, attestation_expiry: uint256, v: uint256, r: bytes32, s: bytes32):
    """
    @dev Accepts a result only if signed by the key behind `node_key` (node `node`'s current attested,
         unexpired enclave key: keccak256(abi.encode(signer, attestationDigest, expiry))) over
         Result(requestId, node, role, model, inputHash, status, keccak256(output), outputCommitment,
         attestationDigest) in the domain of `core`. For a plaintext request the commitment must equal
         keccak256(requestId ‖ uint8 status ‖ output).
    """
    assert status < 256, "result: bad status"
    assert output_commitment != empty(bytes32), "result: zero commitment"
    if plaintext:
        assert output_commitment == types.plaintext_commitment(request_id, status, output), "result: commitment mismatch"
    assert attestation_expiry > block.timestamp, "result: attestation expired"
    digest: bytes32 = typed_sig.result_digest(core, request_id, node, role, model, input_hash, status, keccak256(output), output_commitment, attestation_digest)
    signer: address = typed_sig.recover(digest, v, r, s)
    assert node_key == keccak256(abi_encode(signer, attestation_digest, attestation_expiry)), "result: not the node's attested key"


def deliver(callback: address, gas_cap: uint256, request_id: bytes32, status: uint256, output: Bytes[types.MAX_OUTPUT]) -> bool:
    """
    @dev Calls cloisterCallback with exactly `gas_cap` gas. Reverts the whole transaction if the
         sender left too little gas for the callee to receive the full cap (63/64 rule), so a node
         cannot starve a callback on purpose. The callee's failure or return data never matters.
    """
    if callback == empty(address):
        return True
    payload: Bytes[types.MAX_OUTPUT + 132] = abi_encode(request_id, convert(status, uint8), output, method_id=CALLBACK_SELECTOR)
    assert msg.gas * 63 // 64 >= gas_cap + CALLBACK_RESERVE, "result: gas below callback cap"
    return raw_call(callback, payload, gas=gas_cap, max_outsize=0, revert_on_failure=False)
