# pragma version 0.4.3
"""
@title Governance: the owner of a Cloister deployment, slower than any staker can leave
@notice Owns the core, the admission contract and the committee. Every change that can hurt
        stakers (parameters, models, the attestation verifier, admitting a workload, the
        committee, a new owner) is announced by `Queued` and takes effect only after
        `delay()`: longer than the unbonding period in force and than the one proposed, so a
        staker who disagrees can exit and withdraw first. Parameters are checked against
        their bounds when queued. Four actions cannot take anything from a staker and run at
        once: pausing new requests, de-listing a workload (its nodes stop receiving work and
        may exit; `lapseDelisted` takes them out of sampling), collecting protocol fees and
        accepting ownership of a contract handed to Governance.
"""

from .lib import config
from .lib import owned

initializes: owned

exports: (owned.owner, owned.pendingOwner, owned.transferOwnership, owned.acceptOwnership)

interface Core:
    def params() -> config.Params: view

# Beyond the unbonding period: time to exit and then withdraw.
GRACE: constant(uint256) = 86400
MAX_CALL: constant(uint256) = 4096

SET_PARAMS: constant(bytes4) = method_id("setParams((uint256,uint256,uint256,uint256,uint256,uint256,uint256,uint256,uint256,uint256,uint256,uint256,uint256,uint256,uint256,uint256,uint256,uint256,uint256,uint256))", output_type=bytes4)
SET_PAUSED: constant(bytes4) = method_id("setPaused(bool)", output_type=bytes4)
SET_WORKLOAD: constant(bytes4) = method_id("setWorkload(bytes32,bool)", output_type=bytes4)
WITHDRAW_FEES: constant(bytes4) = method_id("withdrawProtocolFees(address)", output_type=bytes4)
ACCEPT_OWNERSHIP: constant(bytes4) = method_id("acceptOwnership()", output_type=bytes4)

core: public(immutable(Core))
# keccak256(abi.encode(target, data)) -> the time from which it may run (0: not queued)
eta: public(HashMap[bytes32, uint256])

event Queued:
    id: indexed(bytes32)
    target: indexed(address)
    data: Bytes[MAX_CALL]
    eta: uint256

event Executed:
    id: indexed(bytes32)
    target: indexed(address)
    data: Bytes[MAX_CALL]

event Cancelled:
    id: indexed(bytes32)


@deploy
def __init__(cloister: address):
    owned.__init__(msg.sender)
    core = Core(cloister)


@view
@external
def delay() -> uint256:
    """@notice How long a queued change waits: the unbonding period in force plus a day."""
    return (staticcall core.params()).unbondingPeriod + GRACE


@view
def _immediate(data: Bytes[MAX_CALL]) -> bool:
    selector: bytes4 = convert(slice(data, 0, 4), bytes4)
    if selector == SET_PAUSED or selector == WITHDRAW_FEES or selector == ACCEPT_OWNERSHIP:
        return True
    # de-listing a workload (allowed = False) takes nothing from a staker; admitting one does
    return selector == SET_WORKLOAD and len(data) == 68 and extract32(data, 36) == empty(bytes32)


@external
def queue(target: address, data: Bytes[MAX_CALL]) -> bytes32:
    """@notice Announce a call; it may run once `delay()` has passed (parameters are bounds-checked now)."""
    owned.check_owner()
    assert len(data) >= 4, "governance: no call"
    wait: uint256 = (staticcall core.params()).unbondingPeriod
    if convert(slice(data, 0, 4), bytes4) == SET_PARAMS:
        proposed: config.Params = abi_decode(slice(data, 4, len(data) - 4), config.Params)
        config.check(proposed)
        wait = max(wait, proposed.unbondingPeriod)
    id: bytes32 = keccak256(abi_encode(target, data))
    assert self.eta[id] == 0, "governance: already queued"
    when: uint256 = block.timestamp + wait + GRACE
    self.eta[id] = when
    log Queued(id=id, target=target, data=data, eta=when)
    return id


@external
def cancel(id: bytes32):
    owned.check_owner()
    assert self.eta[id] != 0, "governance: not queued"
    self.eta[id] = 0
    log Cancelled(id=id)


@external
def execute(target: address, data: Bytes[MAX_CALL]):
    """@notice Run a queued call after its delay, or an immediate one (pause, de-list, fees) now."""
    owned.check_owner()
    id: bytes32 = keccak256(abi_encode(target, data))
    if not self._immediate(data):
        when: uint256 = self.eta[id]
        assert when != 0, "governance: not queued"
        assert block.timestamp >= when, "governance: delay not over"
        self.eta[id] = 0
    raw_call(target, data)
    log Executed(id=id, target=target, data=data)
