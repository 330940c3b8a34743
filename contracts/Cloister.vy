# pragma version 0.4.3
"""
@title Cloister: attested AI inference requests, results and settlement
@notice Requests escrow a fee and are assigned to a node by stake-weighted sampling;
        the node's attested enclave key signs the result (EIP-712); results may be sampled
        for re-execution and disputed; fees settle to pull balances after the challenge window.
        docs/protocol.md is the full description.
"""

from .lib import owned
from .lib import config
from .lib import ledger
from .lib import sampler
from .lib import registry
from .lib import book
from .lib import results
from .lib import arbiter_gate
from .lib import types
from .lib import typed_sig

initializes: owned
initializes: config[owned := owned]
initializes: ledger
initializes: sampler
initializes: book
initializes: registry[owned := owned, config := config, ledger := ledger, sampler := sampler]
initializes: arbiter_gate[owned := owned, book := book, registry := registry, ledger := ledger, sampler := sampler]

exports: (
    arbiter_gate.arbiter,
    arbiter_gate.setArbiter,
    arbiter_gate.arbiterSetState,
    arbiter_gate.arbiterSlash,
    arbiter_gate.arbiterPay,
    arbiter_gate.arbiterPayProtocol,
    arbiter_gate.arbiterDepositBond,
    arbiter_gate.arbiterReleaseBond,
    arbiter_gate.arbiterReleaseEscrow,
    arbiter_gate.arbiterDisputeCount,
    arbiter_gate.arbiterFlagModel,
    arbiter_gate.arbiterDeliver,
    arbiter_gate.operatorOf,
    arbiter_gate.statusOf,
    arbiter_gate.signerOf,
    arbiter_gate.drawWords,
    arbiter_gate.drawNodes,
    owned.owner,
    owned.pendingOwner,
    owned.paused,
    owned.transferOwnership,
    owned.acceptOwnership,
    owned.setPaused,
    config.params,
    config.paramsAt,
    config.paramsVersion,
    config.setParams,
    ledger.credits,
    ledger.totalCredits,
    ledger.totalStake,
    ledger.escrowed,
    ledger.bonds,
    ledger.protocolFees,
    ledger.disputePool,
    ledger.accounted,
    ledger.burned,
    book.requests,
    ledger.requestCount,
    registry.nodes,
    registry.nodeKey,
    registry.nodeCount,
    registry.signerNode,
    registry.models,
    registry.admission,
    registry.register,
    registry.reattest,
    registry.addStake,
    registry.exit,
    registry.withdrawStake,
    registry.lapseDelisted,
    registry.setModel,
)

REASON_TIMEOUT: constant(uint256) = 1
DRAW_ATTEMPTS: constant(uint256) = 4
# Gas a sampled verifier spends on `verify` (docs/gas.md), paid at params.gasPrice.
VERIFY_GAS: constant(uint256) = 150000

event Requested:
    id: indexed(bytes32)
    node: indexed(uint256)
    model: indexed(bytes32)
    requester: address
    callback: address
    callbackGas: uint256
    fee: uint256
    deadline: uint256
    recipients: DynArray[uint256, types.MAX_RECIPIENTS]
    outputKey: Bytes[types.MAX_OUTPUT_KEY]
    input: Bytes[types.MAX_INPUT]

event Fulfilled:
    id: indexed(bytes32)
    node: indexed(uint256)
    status: uint256
    outputCommitment: bytes32
    fulfilledAt: uint256
    callbackOk: bool
    output: Bytes[types.MAX_OUTPUT]
    paramsVersion: uint256

event Settled:
    id: indexed(bytes32)
    node: indexed(uint256)
    executorAmount: uint256
    verifier: uint256
    verifierAmount: uint256
    protocolAmount: uint256

event Refunded:
    id: indexed(bytes32)
    requester: indexed(address)
    fee: uint256
    slashed: uint256

event ProtocolFeesWithdrawn:
    to: indexed(address)
    amount: uint256


@deploy
def __init__(admission: address):
    owned.__init__(msg.sender)
    config.set_initial(config.defaults())
    registry.admission = registry.Admission(admission)


@external
@payable
def request(model: bytes32, input: Bytes[types.MAX_INPUT], callback: address, callback_gas: uint256, deadline: uint256, output_key: Bytes[types.MAX_OUTPUT_KEY], recipients: DynArray[uint256, types.MAX_RECIPIENTS]) -> bytes32:
    """
    @notice Ask `model` about `input` (plaintext, or an envelope for `recipients`), paying msg.value
            (at least the model fee). Returns the request id; the result arrives in
            `callback.cloisterCallback` (if set) and in the Fulfilled event.
    """
    owned.check_not_paused()
    model_config: uint256 = registry.modelConfig[model]
    assert model_config & registry.ENABLED_BIT != 0, "request: unknown model"
    assert msg.value >= model_config & registry.FEE_MASK, "request: fee below model fee"
    max_input: uint256 = 0
    max_deadline: uint256 = 0
    max_callback_gas: uint256 = 0
    min_response: uint256 = 0
    gas_price: uint256 = 0
    max_input, max_deadline, max_callback_gas, min_response, gas_price = config.limits()
    assert len(input) <= max_input, "request: input too large"
    assert deadline >= block.timestamp + min_response, "request: deadline sooner than minResponseTime"
    assert deadline <= block.timestamp + max_deadline, "request: deadline too far"
    if callback != empty(address):
        assert callback_gas <= max_callback_gas, "request: callback gas above cap"
        # the requester pays for the callback gas it asks for, at the published gas price
        assert msg.value >= (model_config & registry.FEE_MASK) + callback_gas * gas_price, "request: fee below model fee plus callback gas"
    nonce: uint256 = ledger.open_escrow(msg.value)
    request_id: bytes32 = keccak256(abi_encode(chain.id, self, msg.sender, nonce))
    seed: uint256 = convert(keccak256(concat(block.prevrandao, request_id)), uint256)
    node: uint256 = 0
    # A node whose attestation lapses before it could answer cannot sign: it leaves sampling
    # (until it re-attests) and the draw is repeated, so work goes only to nodes able to answer.
    for attempt: uint256 in range(DRAW_ATTEMPTS):
        if len(recipients) == 0:
            node = sampler.draw(model, seed)
        else:
            node = sampler.draw_among(model, recipients, seed)
        if node == 0 or registry.nodes[node].attestationExpiry > block.timestamp + min_response:
            break
        registry.lapse(node)
        node = 0
        seed = convert(keccak256(abi_encode(seed, attempt)), uint256)
    assert node != 0, "request: no eligible node"
    req: types.Request = types.Request(
        id=request_id,
        requester=msg.sender,
        model=model,
        inputHash=keccak256(input),
        callback=callback,
        callbackGas=callback_gas,
        fee=msg.value,
        deadline=deadline,
        node=node,
        recipientsHash=types.recipients_hash(recipients),
    )
    book.requests[request_id] = types.pending_hash(req)
    log Requested(id=request_id, node=node, model=model, requester=msg.sender, callback=callback, callbackGas=callback_gas, fee=msg.value, deadline=deadline, recipients=recipients, outputKey=output_key, input=input)
    return request_id


def _fulfil(req: types.Request, status: uint256, output: Bytes[types.MAX_OUTPUT], output_commitment: bytes32, attestation_digest: bytes32, attestation_expiry: uint256, v: uint256, r: bytes32, s: bytes32):
    assert book.requests[req.id] == types.pending_hash(req), "fulfil: request not pending"
    assert block.timestamp <= req.deadline, "fulfil: deadline passed"
    results.check_fields(self, registry.nodeKey[req.node], req.node, typed_sig.ROLE_EXECUTE, req.id, req.model, req.inputHash, req.recipientsHash == empty(bytes32), status, output, output_commitment, attestation_digest, attestation_expiry, v, r, s)
    ful: types.Fulfilment = types.Fulfilment(
        outputCommitment=output_commitment,
        fulfilledBlock=block.number,
        fulfilledAt=block.timestamp,
        state=types.FULFILLED,
        verifier=0,
        status=status,
        paramsVersion=config.paramsVersion,
    )
    book.requests[req.id] = types.fulfilled_hash(req, ful)
    ok: bool = results.deliver(req.callback, req.callbackGas, req.id, status, output)
    log Fulfilled(id=req.id, node=req.node, status=status, outputCommitment=output_commitment, fulfilledAt=block.timestamp, callbackOk=ok, output=output, paramsVersion=ful.paramsVersion)


@external
def fulfil(req: types.Request, res: types.Result):
    """@notice Post the assigned node's signed result (anyone may relay it)."""
    self._fulfil(req, res.status, res.output, res.outputCommitment, res.attestationDigest, res.attestationExpiry, res.v, res.r, res.s)


@external
def fulfilBatch(reqs: DynArray[types.Request, types.MAX_BATCH], res: DynArray[types.BatchResult, types.MAX_BATCH]):
    """
    @notice Post several results (outputs up to 1,024 bytes) at once. An item someone already
            fulfilled or refunded (e.g. a relayer that front-ran it) is skipped; any other invalid
            item reverts the batch.
    """
    assert len(reqs) == len(res), "fulfil: length mismatch"
    for i: uint256 in range(types.MAX_BATCH):
        if i >= len(reqs):
            break
        if book.requests[reqs[i].id] != types.pending_hash(reqs[i]):
            continue
        item: types.BatchResult = res[i]
        self._fulfil(reqs[i], item.status, item.output, item.outputCommitment, item.attestationDigest, item.attestationExpiry, item.v, item.r, item.s)


def _settle(req: types.Request, ful: types.Fulfilment):
    assert book.requests[req.id] == types.fulfilled_hash(req, ful), "settle: unknown result"
    if ful.state != types.UPHELD:
        assert ful.state == types.FULFILLED or ful.state == types.VERIFIED, "settle: result disputed"
        assert block.timestamp >= ful.fulfilledAt + config.paramsAt[ful.paramsVersion].challengeWindow, "settle: challenge window open"
        assert block.number > ful.fulfilledBlock + config.paramsAt[ful.paramsVersion].verifyWindowBlocks, "settle: verification window open"
    book.requests[req.id] = types.FINAL
    ledger.release_escrow(req.fee)
    # the fee split of the parameters the result was fulfilled under
    protocol_amount: uint256 = req.fee * config.paramsAt[ful.paramsVersion].protocolFeeBps // 10000
    verifier_amount: uint256 = 0
    if ful.verifier != 0:
        # a verification pays at least its gas at the published price, within what the fee leaves
        verifier_amount = min(max(req.fee * config.paramsAt[ful.paramsVersion].verifierFeeBps // 10000, VERIFY_GAS * config.paramsAt[ful.paramsVersion].gasPrice), req.fee - protocol_amount)
        ledger.credit(registry.nodes[ful.verifier].operator, verifier_amount, ledger.REASON_VERIFIER_FEE)
    executor_amount: uint256 = req.fee - protocol_amount - verifier_amount
    ledger.credit(registry.nodes[req.node].operator, executor_amount, ledger.REASON_FEE)
    ledger.protocolFees += protocol_amount
    log Settled(id=req.id, node=req.node, executorAmount=executor_amount, verifier=ful.verifier, verifierAmount=verifier_amount, protocolAmount=protocol_amount)


@external
def settle(req: types.Request, ful: types.Fulfilment):
    """@notice Finalize an undisputed result after its windows and credit the fee split."""
    self._settle(req, ful)


@external
def settleBatch(reqs: DynArray[types.Request, types.MAX_BATCH], fuls: DynArray[types.Fulfilment, types.MAX_BATCH]):
    """@notice Settle several results; an item that is no longer as given (already settled, disputed) is skipped."""
    assert len(reqs) == len(fuls), "settle: length mismatch"
    for i: uint256 in range(types.MAX_BATCH):
        if i >= len(reqs):
            break
        if book.requests[reqs[i].id] != types.fulfilled_hash(reqs[i], fuls[i]):
            continue
        self._settle(reqs[i], fuls[i])


@external
def refund(req: types.Request):
    """
    @notice After the deadline of an unfulfilled request: credit the fee back to the requester and
            slash the node the timeout penalty. The slash is burned, never paid to anyone: a
            requester (or an operator sending requests to its own node) cannot profit from it.
    """
    assert book.requests[req.id] == types.pending_hash(req), "refund: request not pending"
    assert block.timestamp > req.deadline, "refund: deadline not passed"
    book.requests[req.id] = types.REFUNDED
    ledger.release_escrow(req.fee)
    ledger.credit(req.requester, req.fee, ledger.REASON_REFUND)
    slashed: uint256 = registry.slash(req.node, config.params.timeoutSlashBps, REASON_TIMEOUT)
    ledger.burned += slashed
    log Refunded(id=req.id, requester=req.requester, fee=req.fee, slashed=slashed)


@external
@nonreentrant
def withdraw():
    """@notice Pay out everything credited to msg.sender."""
    ledger.pay_out(msg.sender)


@external
@nonreentrant
def withdrawProtocolFees(to: address):
    owned.check_owner()
    amount: uint256 = ledger.protocolFees
    assert amount > 0, "fees: nothing to withdraw"
    ledger.protocolFees = 0
    log ProtocolFeesWithdrawn(to=to, amount=amount)
    raw_call(to, b"", value=amount)


@view
@external
def requestFee(model: bytes32, callback_gas: uint256) -> uint256:
    """@notice The least a request for `model` with `callback_gas` of callback must pay (wei)."""
    gas_price: uint256 = config.limits()[4]
    return (registry.modelConfig[model] & registry.FEE_MASK) + callback_gas * gas_price


@view
@external
def domainSeparator() -> bytes32:
    return typed_sig.domain_separator(self)
