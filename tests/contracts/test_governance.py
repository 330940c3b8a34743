"""Governance: owner powers behind a delay longer than unbonding, bounds checked when a change is queued."""
import boa
import pytest
from eth_utils import keccak

import cloister_kit as K

DAY = 86400


@pytest.fixture
def governed(world):
    """The world with Governance owning the core and the admission contract, as a deployment has it."""
    gov = K.factory("Governance.vy").deploy(world.core.address)
    for contract in (world.core, world.admission):
        contract.transferOwnership(gov.address)
        gov.execute(contract.address, contract.acceptOwnership.prepare_calldata())
        assert contract.owner() == gov.address
    return world, gov


def params_call(world, **changes):
    current = world.core.params()
    return world.core.setParams.prepare_calldata(tuple(changes.get(n, getattr(current, n)) for n in current._fields))


def test_params_bounds_are_checked_when_queued(governed):
    world, gov = governed
    cases = {
        "minStake": 10**15 - 1, "verifyBps": 10001, "verifyWindowBlocks": 251, "challengeWindow": 59,
        "challengeBond": 10**15 - 1, "jurorCount": 8, "jurorWindow": 59, "maxJurorRounds": 4,
        "slashBps": 99, "absentSlashBps": 5001, "timeoutSlashBps": 5001, "protocolFeeBps": 2001,
        "verifierFeeBps": 5001, "maxDeadline": 59, "maxInputBytes": 8193, "maxCallbackGas": 2000001,
        "maxAttestationValidity": 3599, "minResponseTime": 11, "gasPrice": 10**13 + 1,
    }
    for name, value in cases.items():
        with boa.reverts(f"params: {name}"):
            gov.queue(world.core.address, params_call(world, **{name: value}))
    with boa.reverts("params: minResponseTime"):  # at most half of maxDeadline
        gov.queue(world.core.address, params_call(world, maxDeadline=3600, minResponseTime=1801))
    with boa.reverts("params: fee split"):
        gov.queue(world.core.address, params_call(world, protocolFeeBps=2000, verifierFeeBps=3001))
    with boa.reverts("params: unbondingPeriod too short"):
        gov.queue(world.core.address, params_call(world, unbondingPeriod=DAY + 3600))
    with boa.reverts("params: unbondingPeriod too long"):
        gov.queue(world.core.address, params_call(world, unbondingPeriod=61 * DAY))
    with boa.env.prank(boa.env.generate_address()), boa.reverts("owned: not owner"):
        gov.queue(world.core.address, params_call(world))


def test_owner_cannot_change_the_rules_faster_than_a_staker_can_leave(governed):
    """The v1 owner could swap the verifier, the workloads and the parameters in one block."""
    world, gov = governed
    staker = world.register()
    rogue_verifier = boa.env.generate_address()
    calls = [
        (world.core.address, params_call(world, slashBps=10000, absentSlashBps=5000)),
        (world.admission.address, world.admission.setAttestationVerifier.prepare_calldata(rogue_verifier)),
        (world.admission.address, world.admission.setWorkload.prepare_calldata(keccak(b"sybil workload"), True)),
    ]
    for target, data in calls:
        gov.queue(target, data)
        queued = [e for e in gov.get_logs() if type(e).__name__ == "Queued"][0]
        assert queued.eta == K.now() + 3 * DAY + DAY  # unbonding + grace, announced on chain
        with boa.reverts("governance: delay not over"):
            gov.execute(target, data)
    # directly, the owner is Governance: nobody else may call the core's or the admission's setters
    with boa.reverts("owned: not owner"):
        world.core.setParams(tuple(world.core.params()))
    # the staker who disagrees leaves before any of it applies
    with boa.env.prank(staker.operator):
        world.core.exit(staker.id)
    boa.env.time_travel(seconds=3 * DAY)
    with boa.env.prank(staker.operator):
        world.core.withdrawStake(staker.id)
    for target, data in calls:
        with boa.reverts("governance: delay not over"):
            gov.execute(target, data)
    boa.env.time_travel(seconds=DAY)
    for target, data in calls:
        gov.execute(target, data)
    assert world.core.params().slashBps == 10000 and world.admission.attestationVerifier() == rogue_verifier
    assert world.core.credits(staker.operator) == K.ETHER  # left whole


def test_a_longer_unbonding_period_waits_for_itself(governed):
    world, gov = governed
    gov.queue(world.core.address, params_call(world, unbondingPeriod=20 * DAY))
    queued = [e for e in gov.get_logs() if type(e).__name__ == "Queued"][0]
    assert queued.eta == K.now() + 20 * DAY + DAY


def test_cancel_and_no_double_queue(governed):
    world, gov = governed
    data = params_call(world, verifyBps=200)
    gov.queue(world.core.address, data)
    with boa.reverts("governance: already queued"):
        gov.queue(world.core.address, data)
    gov.cancel(keccak(__import__("eth_abi").encode(["address", "bytes"], [world.core.address, data])))
    boa.env.time_travel(seconds=5 * DAY)
    with boa.reverts("governance: not queued"):
        gov.execute(world.core.address, data)


def test_delisting_is_immediate_stops_work_and_lets_nodes_exit(governed):
    world, gov = governed
    delisted = world.register()
    other = world.register()
    with boa.reverts("registry: workload allowed"):
        world.core.lapseDelisted(delisted.id)
    gov.execute(world.admission.address, world.admission.setWorkload.prepare_calldata(K.workload_id(K.TDX_QUOTE), False))
    world.core.lapseDelisted(delisted.id)  # anyone may; the keeper of any node does
    world.core.lapseDelisted(other.id)
    requester = boa.env.generate_address()
    world.fund(requester)
    with boa.env.prank(requester), boa.reverts("request: no eligible node"):
        world.core.request(K.MODEL, b"x", K.ZERO, 0, K.now() + 600, b"", [], value=K.MODEL_FEE)
    with boa.env.prank(delisted.operator):
        world.core.exit(delisted.id)
    boa.env.time_travel(seconds=3 * DAY)
    with boa.env.prank(delisted.operator):
        world.core.withdrawStake(delisted.id)
    assert world.core.credits(delisted.operator) == K.ETHER
    # admitting a workload is not immediate
    with boa.reverts("governance: not queued"):
        gov.execute(world.admission.address, world.admission.setWorkload.prepare_calldata(K.workload_id(K.TDX_QUOTE), True))


def test_pause_and_fees_are_immediate(governed):
    world, gov = governed
    gov.execute(world.core.address, world.core.setPaused.prepare_calldata(True))
    assert world.core.paused()
    gov.execute(world.core.address, world.core.setPaused.prepare_calldata(False))
    with boa.reverts("fees: nothing to withdraw"):
        gov.execute(world.core.address, world.core.withdrawProtocolFees.prepare_calldata(world.owner))
