"""Governance: owner powers behind a delay longer than unbonding, bounds checked when a change is queued."""
import boa
import pytest
from eth_utils import keccak

import cloister_kit as K

DAY = 86400


def govern(world):
    """Hands the core and the admission contract to a new Governance, as a deployment has them."""
    gov = K.factory("Governance.vy").deploy(world.core.address)
    for contract in (world.core, world.admission):
        contract.transferOwnership(gov.address)
        gov.execute(contract.address, contract.acceptOwnership.prepare_calldata())
        assert contract.owner() == gov.address
    return gov


@pytest.fixture
def governed(world):
    """The world with Governance owning the core and the admission contract, as a deployment has it."""
    return world, govern(world)


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


def enact(world, gov, data):
    """Queue a parameter change through Governance and run it once its delay is over."""
    gov.queue(world.core.address, data)
    queued = [e for e in gov.get_logs() if type(e).__name__ == "Queued"][0]
    boa.env.time_travel(seconds=queued.eta - K.now())
    gov.execute(world.core.address, data)


def test_results_in_flight_keep_the_parameters_they_started_under(world):
    """The owner announces a change that would take a larger cut, hold payment for 36 hours and slash
    twice as hard, and waits out the delay: results fulfilled before it are settled and judged
    exactly as they would have been without it; only work fulfilled afterwards is under the new rules."""
    world.set_params(verifyBps=0)  # no sampling: the dispute below is a bonded challenge
    nodes = [world.register() for _ in range(6)]
    K.mine(256)
    requester = boa.env.generate_address()
    world.fund(requester)
    gov = govern(world)
    old = world.core.params()
    assert world.core.paramsVersion() == 2

    # an honest result nobody settled yet, and a wrong one already disputed, with every juror's vote in
    honest = world.request(requester)
    honest_ful = world.fulfil(honest)
    wrong = world.request(requester)
    wrong_ful = world.fulfil(wrong, world.sign_result(world.node(wrong[8]), wrong, output=b"negative"))
    assert honest_ful[6] == wrong_ful[6] == 2
    challenger = next(n for n in nodes if n.id != wrong[8])
    with boa.env.prank(challenger.operator):
        world.arbiter.challenge(wrong, wrong_ful, challenger.id,
                                world.sign_result(challenger, wrong, role=K.ROLE_CHALLENGE), value=old.challengeBond)
    K.mine(1)
    world.arbiter.drawJurors(wrong[0], [])
    jurors = list(world.arbiter.disputes(wrong[0]).jurors)
    for seat, j in enumerate(jurors):
        world.arbiter.vote(wrong[0], seat, world.sign_result(world.node(j), wrong, role=K.ROLE_VOTE))
    cheater_stake = world.core.nodes(wrong[8]).stake

    enact(world, gov, params_call(world, protocolFeeBps=2000, verifierFeeBps=3000, challengeWindow=DAY + DAY // 2,
                                  verifyWindowBlocks=250, slashBps=10000, absentSlashBps=5000))
    assert world.core.paramsVersion() == 3 and world.core.params().slashBps == 10000
    assert world.core.paramsAt(2) == old  # a version is never rewritten

    # settled under the windows and the fee split it was fulfilled under (the new window is still open)
    fees_before = world.core.protocolFees()
    world.core.settle(honest, honest_ful)
    settled = [e for e in world.core.get_logs() if type(e).__name__ == "Settled"][-1]
    assert settled.protocolAmount == honest[6] * old.protocolFeeBps // 10000
    assert settled.executorAmount == honest[6] - settled.protocolAmount
    assert world.core.protocolFees() - fees_before == settled.protocolAmount

    # judged under the slash it was disputed under: half the cheater's stake, not all of it
    world.arbiter.resolve(wrong, (wrong_ful[0], wrong_ful[1], wrong_ful[2], 3, 0, wrong_ful[5], wrong_ful[6]))
    assert world.core.nodes(wrong[8]).stake == cheater_stake - cheater_stake * old.slashBps // 10000

    # work fulfilled from now on is under the new rules
    later = world.request(requester)
    later_ful = world.fulfil(later)
    assert later_ful[6] == 3
    boa.env.time_travel(seconds=old.challengeWindow + 1)  # past the old windows (12 s blocks)
    with boa.reverts("settle: challenge window open"):
        world.core.settle(later, later_ful)
    boa.env.time_travel(seconds=DAY + DAY // 2)
    world.core.settle(later, later_ful)
    settled = [e for e in world.core.get_logs() if type(e).__name__ == "Settled"][-1]
    assert settled.protocolAmount == later[6] * 2000 // 10000
    assert world.accounted_ok()


def test_a_result_cannot_claim_another_parameter_set(world):
    """A settler who rewrites a result's parameter version (to a set with a smaller protocol cut, or an
    unused one) does not match the book: the version is part of the hashed fulfilment."""
    node = world.register()
    requester = boa.env.generate_address()
    world.fund(requester)
    req = world.request(requester)
    ful = world.fulfil(req)
    world.set_params(protocolFeeBps=0)
    boa.env.time_travel(seconds=3601)
    for version in (0, ful[6] + 1, 2**256 - 1):
        with boa.reverts("settle: unknown result"):
            world.core.settle(req, ful[:6] + (version,))
    world.core.settle(req, ful)
    settled = [e for e in world.core.get_logs() if type(e).__name__ == "Settled"][-1]
    assert settled.protocolAmount == req[6] * 500 // 10000 and node.id == req[8]


def test_a_request_made_before_a_change_is_announced_expires_before_it_applies(world):
    """Pending requests keep no version: the timeout slash of a refund is the one in force. That is safe
    because every change waits longer than any deadline: a request made before the announcement is over
    (answered or refunded) before the change can apply, and a node that disagrees stops receiving work
    the moment it exits."""
    node = world.register()
    requester = boa.env.generate_address()
    world.fund(requester)
    gov = govern(world)
    latest = world.request(requester, deadline=K.now() + world.core.params().maxDeadline)
    data = params_call(world, timeoutSlashBps=5000)
    gov.queue(world.core.address, data)
    queued = [e for e in gov.get_logs() if type(e).__name__ == "Queued"][0]
    assert latest[7] < queued.eta
    boa.env.time_travel(seconds=latest[7] - K.now() + 1)
    stake = world.core.nodes(node.id).stake
    world.core.refund(latest)
    assert world.core.nodes(node.id).stake == stake - stake * 100 // 10000  # the old 1 %
    with boa.reverts("governance: delay not over"):
        gov.execute(world.core.address, data)
