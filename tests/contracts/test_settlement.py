"""Settlement, refunds with timeout slashing, withdrawals, ownership, pause and parameter bounds."""
import boa
import pytest

import cloister_kit as K


def test_settle_splits_fee_after_windows(setup):
    world, node, requester = setup
    req = world.request(requester, fee=10**16)
    ful = world.fulfil(req)
    with boa.reverts("settle: challenge window open"):
        world.core.settle(req, ful)
    boa.env.time_travel(seconds=3600)
    K.mine(1)
    if K.block_number() <= ful[1] + 150:
        with boa.reverts("settle: verification window open"):
            world.core.settle(req, ful)
        K.mine(151)
    world.core.settle(req, ful)
    assert world.core.credits(node.operator) == 10**16 * 95 // 100
    assert world.core.protocolFees() == 10**16 * 5 // 100
    assert world.core.escrowed() == 0 and world.accounted_ok()
    assert world.core.requests(req[0]) == b"\x00" * 31 + b"\x01"
    with boa.reverts("settle: unknown result"):
        world.core.settle(req, ful)
    with boa.reverts("refund: request not pending"):
        world.core.refund(req)


def test_settle_batch(setup):
    world, node, requester = setup
    reqs = [world.request(requester) for _ in range(3)]
    fuls = [world.fulfil(r) for r in reqs]
    K.mine(151, seconds=3600)
    with boa.reverts("settle: length mismatch"):
        world.core.settleBatch(reqs, fuls[:2])
    world.core.settleBatch(reqs, fuls)
    assert world.core.credits(node.operator) == 3 * (K.MODEL_FEE - K.MODEL_FEE * 5 // 100)
    assert world.accounted_ok()


def test_unknown_fulfilment_fields_rejected(setup):
    world, node, requester = setup
    req = world.request(requester)
    ful = world.fulfil(req)
    K.mine(151, seconds=3600)
    forged = (ful[0], ful[1], ful[2], 2, node.id, ful[5], ful[6])  # claims it was verified, to earn a verifier fee
    with boa.reverts("settle: unknown result"):
        world.core.settle(req, forged)


def test_refund_after_deadline_slashes_node_and_burns_the_slash(setup):
    world, node, requester = setup
    req = world.request(requester, deadline=K.now() + 120)
    with boa.reverts("refund: deadline not passed"):
        world.core.refund(req)
    boa.env.time_travel(seconds=121)
    world.core.refund(req)
    slash = K.ETHER * 100 // 10000
    assert world.core.credits(requester) == K.MODEL_FEE  # the fee back, nothing more
    assert world.core.burned() == slash
    assert world.core.nodes(node.id).stake == K.ETHER - slash
    assert world.core.totalStake() == K.ETHER - slash and world.accounted_ok()
    with boa.reverts("refund: request not pending"):
        world.core.refund(req)
    with boa.reverts("fulfil: request not pending"):
        world.fulfil(req)
    before = boa.env.get_balance(requester)
    with boa.env.prank(requester):
        world.core.withdraw()
    assert boa.env.get_balance(requester) == before + K.MODEL_FEE
    with boa.env.prank(requester), boa.reverts("ledger: nothing to withdraw"):
        world.core.withdraw()


def test_refund_of_fulfilled_request_rejected(setup):
    world, node, requester = setup
    req = world.request(requester, deadline=K.now() + 120)
    world.fulfil(req)
    boa.env.time_travel(seconds=121)
    with boa.reverts("refund: request not pending"):
        world.core.refund(req)


def test_timeouts_jail_a_node_below_min_stake(setup):
    world, node, requester = setup
    world.core.setParams(K_params(world, timeoutSlashBps=5000))
    req = world.request(requester, deadline=K.now() + 120)
    boa.env.time_travel(seconds=121)
    world.core.refund(req)
    info = world.core.nodes(node.id)
    assert info.status == 3 and info.stake == K.ETHER // 2
    assert world.core.nodeKey(node.id) == b"\x00" * 32
    with boa.env.prank(requester), boa.reverts("request: no eligible node"):
        world.core.request(K.MODEL, b"x", K.ZERO, 0, K.now() + 600, b"", [], value=K.MODEL_FEE)
    with boa.env.prank(node.operator), boa.reverts("registry: node jailed"):
        world.core.reattest(node.id, node.key.public_key, b"", K.VERSION, 0, b"")
    with boa.env.prank(node.operator):
        world.core.exit(node.id)
    boa.env.time_travel(seconds=3 * 86400)
    with boa.env.prank(node.operator):
        world.core.withdrawStake(node.id)
    assert world.core.credits(node.operator) == K.ETHER // 2 and world.accounted_ok()


def K_params(world, **changes):
    current = world.core.params()
    return tuple(changes.get(name, getattr(current, name)) for name in current._fields)


def test_two_step_ownership(world):
    successor = boa.env.generate_address()
    with boa.env.prank(successor), boa.reverts("owned: not owner"):
        world.core.transferOwnership(successor)
    world.core.transferOwnership(successor)
    assert world.core.owner() == world.owner and world.core.pendingOwner() == successor
    with boa.reverts("owned: not pending owner"):
        world.core.acceptOwnership()
    with boa.env.prank(successor):
        world.core.acceptOwnership()
        world.core.setPaused(True)
    assert world.core.owner() == successor and world.core.pendingOwner() == K.ZERO and world.core.paused()
    with boa.reverts("owned: not owner"):
        world.core.setPaused(False)


def test_protocol_fees_withdrawn_by_owner_only(setup):
    world, node, requester = setup
    req = world.request(requester, fee=10**16)
    ful = world.fulfil(req)
    K.mine(151, seconds=3600)
    world.core.settle(req, ful)
    sink = boa.env.generate_address()
    with boa.env.prank(requester), boa.reverts("owned: not owner"):
        world.core.withdrawProtocolFees(sink)
    world.core.withdrawProtocolFees(sink)
    assert boa.env.get_balance(sink) == 10**16 * 5 // 100
    with boa.reverts("fees: nothing to withdraw"):
        world.core.withdrawProtocolFees(sink)
    assert world.accounted_ok()


def test_arbiter_is_set_once_and_gate_is_closed_to_others(world):
    with boa.reverts("gate: arbiter already set"):
        world.core.setArbiter(world.owner)
    with boa.reverts("gate: not the arbiter"):
        world.core.arbiterPay(world.owner, 1, 1)
    with boa.reverts("gate: not the arbiter"):
        world.core.arbiterSetState(b"\x01" * 32, b"\x00" * 32, b"\x01" * 32)
    with boa.reverts("gate: not the arbiter"):
        world.core.arbiterSlash(1, 10000, 1)
