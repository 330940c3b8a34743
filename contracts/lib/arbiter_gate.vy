# pragma version 0.4.3
"""
@title The core's narrow door for the Arbiter contract
@notice Disputes live in a separate contract (Arbiter.vy) to keep both under the
        24,576-byte code limit. The arbiter is set once by the owner and can only move
        value between the ledger's buckets (never out of the contract): slashed stake,
        released escrow and bonds go to `disputePool` and from there to credits or fees.
"""

from . import owned
from . import book
from . import registry
from . import ledger
from . import sampler
from . import results
from . import types

uses: owned
uses: book
uses: registry
uses: ledger
uses: sampler

arbiter: public(address)

event ArbiterSet:
    arbiter: indexed(address)


def _only_arbiter():
    assert msg.sender == self.arbiter, "gate: not the arbiter"


@external
def setArbiter(arbiter: address):
    """@notice One-time link to the Arbiter; afterwards no one can change it."""
    owned.check_owner()
    assert self.arbiter == empty(address), "gate: arbiter already set"
    assert arbiter != empty(address), "gate: zero arbiter"
    self.arbiter = arbiter
    log ArbiterSet(arbiter=arbiter)


@external
def arbiterSetState(request_id: bytes32, expected: bytes32, state: bytes32):
    self._only_arbiter()
    assert book.requests[request_id] == expected, "gate: state changed"
    book.requests[request_id] = state


@external
def arbiterSlash(node: uint256, bps: uint256, reason: uint256) -> uint256:
    self._only_arbiter()
    amount: uint256 = registry.slash(node, bps, reason)
    ledger.disputePool += amount
    return amount


@external
def arbiterPay(account: address, amount: uint256, reason: uint256):
    self._only_arbiter()
    ledger.disputePool -= amount
    ledger.credit(account, amount, reason)


@external
def arbiterPayProtocol(amount: uint256):
    self._only_arbiter()
    ledger.disputePool -= amount
    ledger.protocolFees += amount


@external
@payable
def arbiterDepositBond():
    self._only_arbiter()
    ledger.bonds += msg.value


@external
def arbiterReleaseBond(amount: uint256):
    self._only_arbiter()
    ledger.bonds -= amount
    ledger.disputePool += amount


@external
def arbiterReleaseEscrow(amount: uint256):
    self._only_arbiter()
    ledger.release_escrow(amount)
    ledger.disputePool += amount


@external
def arbiterDisputeCount(node: uint256, opened: bool):
    self._only_arbiter()
    if opened:
        registry.add_open_dispute(node)
    else:
        registry.remove_open_dispute(node)


@external
def arbiterFlagModel(model: bytes32):
    self._only_arbiter()
    registry.flag_nondeterministic(model)


@external
def arbiterDeliver(callback: address, gas_cap: uint256, request_id: bytes32, status: uint256, output: Bytes[types.MAX_OUTPUT]) -> bool:
    self._only_arbiter()
    return results.deliver(callback, gas_cap, request_id, status, output)


@view
@external
def operatorOf(node: uint256) -> address:
    return registry.nodes[node].operator


@view
@external
def signerOf(node: uint256) -> address:
    """@notice The node's current enclave signer (0 before registration)."""
    return registry.nodes[node].signer


@view
@external
def statusOf(node: uint256) -> uint256:
    return registry.nodes[node].status


@view
@external
def drawWords(model: bytes32) -> DynArray[uint256, sampler.CAPACITY]:
    """@notice The draw history of every slot of `model` (see lib/sampler.vy)."""
    return sampler.draw_words(model)


@view
@external
def drawNodes(model: bytes32, block_number: uint256, seed: uint256, candidates: DynArray[uint256, sampler.MAX_CANDIDATES], excluded: DynArray[uint256, sampler.MAX_EXCLUDED], count: uint256) -> DynArray[uint256, sampler.MAX_DRAWN]:
    """@notice Up to `count` distinct nodes by the stakes of `block_number`'s epoch (see lib/sampler.vy), for verifier and jury draws."""
    return sampler.draw_nodes(model, block_number, seed, candidates, excluded, count)
