# pragma version 0.4.3
"""
@title Shared request and result types
@notice Structs and limits shared by the Cloister modules. A request is stored
        on chain only as keccak256 of its ABI encoding; callers resupply the
        fields below in calldata and the contract checks them against that hash.
"""

# Compile-time caps (the owner can lower the effective caps in `params`).
MAX_INPUT: constant(uint256) = 8192
MAX_OUTPUT: constant(uint256) = 4096
MAX_BATCH_OUTPUT: constant(uint256) = 1024
MAX_OUTPUT_KEY: constant(uint256) = 65
MAX_RECIPIENTS: constant(uint256) = 16
MAX_BATCH: constant(uint256) = 32
MAX_JURORS: constant(uint256) = 7
MAX_MODELS_PER_NODE: constant(uint256) = 8

# Result states kept inside `Fulfilment.state`.
FULFILLED: constant(uint256) = 1
VERIFIED: constant(uint256) = 2
DISPUTED: constant(uint256) = 3
UPHELD: constant(uint256) = 4
OVERTURNED: constant(uint256) = 5

# Error statuses the protocol itself interprets.
STATUS_DECRYPTION_FAILED: constant(uint256) = 3

# Terminal request states, stored in place of a hash.
FINAL: constant(bytes32) = 0x0000000000000000000000000000000000000000000000000000000000000001
REFUNDED: constant(bytes32) = 0x0000000000000000000000000000000000000000000000000000000000000002


struct Request:
    id: bytes32
    requester: address
    model: bytes32
    inputHash: bytes32
    callback: address
    callbackGas: uint256
    fee: uint256
    deadline: uint256
    node: uint256
    recipientsHash: bytes32


struct Fulfilment:
    outputCommitment: bytes32
    fulfilledBlock: uint256
    fulfilledAt: uint256
    state: uint256
    verifier: uint256
    # the status the executor posted (3 on an encrypted request: its wrap did not open)
    status: uint256
    # the parameter set in force at fulfilment (config.paramsAt): the result is judged under it
    paramsVersion: uint256


struct Result:
    status: uint256
    output: Bytes[MAX_OUTPUT]
    outputCommitment: bytes32
    attestationDigest: bytes32
    attestationExpiry: uint256
    v: uint256
    r: bytes32
    s: bytes32


# The same fields with a smaller output cap: keeps a 32-result batch's calldata copy small.
struct BatchResult:
    status: uint256
    output: Bytes[MAX_BATCH_OUTPUT]
    outputCommitment: bytes32
    attestationDigest: bytes32
    attestationExpiry: uint256
    v: uint256
    r: bytes32
    s: bytes32


@pure
def pending_hash(req: Request) -> bytes32:
    return keccak256(abi_encode(req))


@pure
def fulfilled_hash(req: Request, ful: Fulfilment) -> bytes32:
    return keccak256(abi_encode(req, ful))


@pure
def recipients_hash(recipients: DynArray[uint256, MAX_RECIPIENTS]) -> bytes32:
    if len(recipients) == 0:
        return empty(bytes32)
    return keccak256(abi_encode(recipients))


@pure
def plaintext_commitment(request_id: bytes32, status: uint256, output: Bytes[MAX_OUTPUT]) -> bytes32:
    # keccak256(requestId ‖ uint8 status ‖ output): the salt of a plaintext request is its public id.
    return keccak256(concat(request_id, convert(convert(status, uint8), bytes1), output))
