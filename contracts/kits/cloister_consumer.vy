# pragma version 0.4.3
"""
@title Cloister consumer kit (a Vyper 0.4 module)
@notice What every contract that asks Cloister needs, once:
        - request helpers per task (embed, similarity, classify, or raw bytes) that encode the
          task's input as the engine expects it and pay exactly `fee(model, callback_gas)`
          (`requestFee` of the core: the model fee plus the callback's gas);
        - `only_cloister()`, the access check your `cloisterCallback` must start with;
        - output decoders per task;
        - refunds: `claim_refund(req)` after an unanswered request's deadline, `withdraw()` to pull
          what the core credited to this contract, and `__default__` to receive it (export it);
        - private models (a differential-privacy policy in the model vault): `use_vault(vault)` once
          in your `__init__`, then `request_private_*` helpers that request through the vault (this
          contract is the requester whose privacy budget is charged), `remaining_budget(model)`, and
          `claim_private_refund(req)`, which brings a refunded private request's fee back here.

        Use it like this (docs/contracts.md has a whole example):

            from contracts.kits import cloister_consumer
            initializes: cloister_consumer
            exports: cloister_consumer.__default__

            @deploy
            def __init__(core: address):
                cloister_consumer.__init__(core)

            @external
            def cloisterCallback(requestId: bytes32, status: uint8, output: Bytes[4096]):
                cloister_consumer.only_cloister()
                ...

        Fees are paid from this contract's balance (msg.value of the call is part of it): make
        the caller pay at least `fee(...)` before you request. Refunds and corrected results are
        credited to this contract, the requester, never to whoever paid it.
"""

from ..interfaces import ICloister
from ..interfaces import IModelVault

# The core this contract asks and accepts callbacks and payments from.
CLOISTER: public(immutable(ICloister))
# The model vault private requests go through (set once by `use_vault`; empty: none). It pays
# private refunds in, so `__default__` accepts ETH from it too.
VAULT: public(IModelVault)

# Bounds of the task inputs the helpers encode (the default maxInputBytes is 4,096).
MAX_TEXT: constant(uint256) = 1024
MAX_LABEL: constant(uint256) = 64
MAX_LABELS: constant(uint256) = 16
MAX_TASK_INPUT: constant(uint256) = 4096
# Embeddings are 384 int8 values, ABI-encoded as `bytes`.
EMBEDDING_BYTES: constant(uint256) = 384
MAX_OUTPUT: constant(uint256) = 4096

# `requests(id)` of a request whose fee went back to its requester.
REFUNDED: constant(bytes32) = 0x0000000000000000000000000000000000000000000000000000000000000002
# Result statuses: 0 is an answer; anything else an error code with a message as output.
STATUS_OK: constant(uint8) = 0


@deploy
def __init__(core: address):
    assert core != empty(address), "cloister: core is the zero address"
    CLOISTER = ICloister(core)


@view
@internal
def fee(model: bytes32, callback_gas: uint256) -> uint256:
    """@notice The least a request for `model` with `callback_gas` of callback must pay (wei)."""
    return staticcall CLOISTER.requestFee(model, callback_gas)


@internal
def request_bytes(model: bytes32, task_input: Bytes[MAX_TASK_INPUT], callback_gas: uint256, answer_within: uint256) -> bytes32:
    """
    @notice Requests `model` on `task_input` (already in the task's encoding), with this contract's
            `cloisterCallback` getting `callback_gas`, due `answer_within` seconds from now
            (at least params().minResponseTime). Pays `fee(model, callback_gas)`; returns the id.
    """
    return extcall CLOISTER.request(model, task_input, self, callback_gas, block.timestamp + answer_within, b"", [], value=self._cost(model, callback_gas))


@view
@internal
def _cost(model: bytes32, callback_gas: uint256) -> uint256:
    """@dev `fee(model, callback_gas)`, which this contract's balance must cover."""
    cost: uint256 = staticcall CLOISTER.requestFee(model, callback_gas)
    assert self.balance >= cost, "cloister: balance below the request fee"
    return cost


@internal
def request_embed(model: bytes32, text: String[MAX_TEXT], callback_gas: uint256, answer_within: uint256) -> bytes32:
    """@notice embed: input abi.encode(string text); output see `decode_embedding`."""
    return self.request_bytes(model, abi_encode(text), callback_gas, answer_within)


@internal
def request_similarity(model: bytes32, a: String[MAX_TEXT], b: String[MAX_TEXT], callback_gas: uint256, answer_within: uint256) -> bytes32:
    """@notice similarity: input abi.encode(string a, string b); output see `decode_similarity`."""
    return self.request_bytes(model, abi_encode(a, b), callback_gas, answer_within)


@internal
def request_classify(model: bytes32, text: String[MAX_TEXT], labels: DynArray[String[MAX_LABEL], MAX_LABELS], callback_gas: uint256, answer_within: uint256) -> bytes32:
    """@notice classify: input abi.encode(string text, string[] labels); output see `decode_classify`."""
    return self.request_bytes(model, abi_encode(text, labels), callback_gas, answer_within)


# ---- private models (through the model vault) -------------------------------------------------------
@internal
def use_vault(vault: address):
    """
    @notice Call once, in your `__init__` after `__init__(core)`, to request private models: `vault`
            must be the ModelVault of this contract's core (the request ids and callbacks are the
            core's). It cannot be changed afterwards.
    """
    assert self.VAULT.address == empty(address), "cloister: vault already set"
    assert vault != empty(address), "cloister: vault is the zero address"
    assert staticcall IModelVault(vault).core() == CLOISTER.address, "cloister: vault of another core"
    self.VAULT = IModelVault(vault)


@view
@internal
def _vault() -> IModelVault:
    assert self.VAULT.address != empty(address), "cloister: no vault set"
    return self.VAULT


@internal
def request_private_bytes(model: bytes32, task_input: Bytes[MAX_TASK_INPUT], callback_gas: uint256, answer_within: uint256) -> bytes32:
    """
    @notice `request_bytes` for a private model, through the vault's `requestPrivate`: the vault
            charges the model's ε to THIS contract's budget (reverting "vault: privacy budget
            exhausted" beyond it) and makes the core request, which the core then calls back as
            usual (`only_cloister()` holds). Pays `fee(model, callback_gas)`; returns the core's id.
    """
    vault: IModelVault = self._vault()
    return extcall vault.requestPrivate(model, task_input, self, callback_gas, block.timestamp + answer_within, b"", [], value=self._cost(model, callback_gas))


@internal
def request_private_embed(model: bytes32, text: String[MAX_TEXT], callback_gas: uint256, answer_within: uint256) -> bytes32:
    """@notice `request_embed` through the vault (see `request_private_bytes`)."""
    return self.request_private_bytes(model, abi_encode(text), callback_gas, answer_within)


@internal
def request_private_similarity(model: bytes32, a: String[MAX_TEXT], b: String[MAX_TEXT], callback_gas: uint256, answer_within: uint256) -> bytes32:
    """@notice `request_similarity` through the vault (see `request_private_bytes`)."""
    return self.request_private_bytes(model, abi_encode(a, b), callback_gas, answer_within)


@internal
def request_private_classify(model: bytes32, text: String[MAX_TEXT], labels: DynArray[String[MAX_LABEL], MAX_LABELS], callback_gas: uint256, answer_within: uint256) -> bytes32:
    """@notice `request_classify` through the vault (see `request_private_bytes`)."""
    return self.request_private_bytes(model, abi_encode(text, labels), callback_gas, answer_within)


@view
@internal
def remaining_budget(model: bytes32) -> uint256:
    """@notice ε (micros) this contract may still spend on `model` in the current period (0: refused)."""
    return staticcall self._vault().remainingBudget(model, self)


@internal
def claim_private_refund(req: ICloister.Request) -> uint256:
    """
    @notice The fee of a private request comes back to this contract (the vault's requester): after
            its deadline if nobody answered (the core's refund is triggered here unless someone did
            already), or once a dispute overturned its result. `req` is the request as the core's
            Requested event gives it (its requester is the vault). Returns the amount; reverts
            ("vault: request not refunded", "vault: nothing to refund") otherwise. ε is not given back.
    """
    vault: IModelVault = self._vault()
    if staticcall CLOISTER.requests(req.id) == keccak256(abi_encode(req)):
        extcall CLOISTER.refund(req)  # still pending: reverts before the deadline
    amount: uint256 = staticcall vault.privateFees(req.id)
    extcall vault.claimRefund(req.id)
    return amount


@view
@internal
def only_cloister():
    """@notice The first line of `cloisterCallback`: anyone else could call it with a forged result."""
    assert msg.sender == CLOISTER.address, "cloister: caller is not the core"


@pure
@internal
def decode_embedding(output: Bytes[MAX_OUTPUT]) -> Bytes[EMBEDDING_BYTES]:
    """@notice embed output abi.encode(bytes v): 384 int8 values, v[i] = round(e[i] * 256) clamped to +-127."""
    return abi_decode(output, Bytes[EMBEDDING_BYTES])


@pure
@internal
def decode_similarity(output: Bytes[MAX_OUTPUT]) -> int256:
    """@notice similarity output abi.encode(int256): the cosine similarity times 10**6."""
    return abi_decode(output, int256)


@pure
@internal
def decode_classify(output: Bytes[MAX_OUTPUT]) -> (uint256, DynArray[int256, MAX_LABELS]):
    """@notice classify output abi.encode(uint256 best, int256[] scores): the index of the best label
               and each label's cosine similarity to the text times 10**6."""
    return abi_decode(output, (uint256, DynArray[int256, MAX_LABELS]))


@internal
def claim_refund(req: ICloister.Request):
    """
    @notice After the deadline of a request nobody answered: has the core credit its fee back to
            this contract, unless someone (anyone may) did already. `req` is the request as its
            Requested event gives it. Reverts before the deadline or if it was answered.
    """
    if staticcall CLOISTER.requests(req.id) != REFUNDED:
        extcall CLOISTER.refund(req)


@internal
def withdraw() -> uint256:
    """@notice Pulls everything the core credited to this contract (refunds); returns the amount (0 if none)."""
    amount: uint256 = staticcall CLOISTER.credits(self)
    if amount > 0:
        extcall CLOISTER.withdraw()
    return amount


@payable
@external
def __default__():
    """
    @notice Receives withdrawals from the core and private refunds from the vault (the fees the core
            credited it for this contract); refuses ETH from anyone else (export it).
    """
    assert msg.sender == CLOISTER.address or msg.sender == self.VAULT.address, "cloister: only the core pays in"
