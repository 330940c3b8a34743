"""Properties of the verifier and jury draws (issue 13, items 1 and 2), over random stakes and seeds.

- The verifier and the jury of a result are fixed once its seed block exists: no stake operation after it
  (top-up, registration, exit, slash, jail) moves them.
- Every sampled result gets a verifier whenever another eligible node exists, whatever the executor's
  share of the stake, so every executor is checked at the same rate p and a caught cheater's expected
  loss (p · σ · stake) grows with its stake instead of falling.
"""
from contextlib import contextmanager

import boa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cloister_kit as K

DISPUTED = 3
SETTINGS = settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))


@contextmanager
def example(world):
    """One hypothesis example: the chain and the kit's node list both go back to where they were."""
    nodes = list(world.nodes)
    try:
        with boa.env.anchor():
            yield
    finally:
        world.nodes = nodes


def staked_world(world, stakes_milli):
    world.set_params(verifyBps=10000)
    nodes = [world.register(stake=K.ETHER + s * 10**15) for s in stakes_milli]
    K.mine(256)
    requester = boa.env.generate_address()
    world.fund(requester, 1000 * K.ETHER)
    return nodes, requester


def stake_operation(world, nodes, requester, op, target):
    node = nodes[target % len(nodes)]
    info = world.core.nodes(node.id)
    if op == "top-up" and info.status == 1:
        world.fund(node.operator, 50 * K.ETHER)
        with boa.env.prank(node.operator):
            world.core.addStake(node.id, value=40 * K.ETHER)
    elif op == "register":
        nodes.append(world.register(stake=30 * K.ETHER))
    elif op == "exit" and info.status == 1:
        with boa.env.prank(node.operator):
            world.core.exit(node.id)
    elif op in ("slash", "jail") and info.status == 1:
        if op == "jail":
            world.set_params(timeoutSlashBps=5000)
        req = world.request(requester, deadline=K.now() + 120, recipients=[node.id])
        boa.env.time_travel(seconds=121)
        world.core.refund(req)
        world.set_params(timeoutSlashBps=100)


def same_history(salt):
    """boa keeps recent block hashes by distance from the head: after time passed, lay the same history again
    (blockhash(b) = keccak(salt ‖ b), as K.mine does), so only the stake operations differ."""
    K.mine(0, salt=b"s" + salt.to_bytes(3, "big"))


OPS = st.lists(st.tuples(st.sampled_from(["top-up", "register", "exit", "slash", "jail"]), st.integers(0, 7)),
               min_size=1, max_size=4)


@SETTINGS
@given(stakes=st.lists(st.integers(0, 5000), min_size=3, max_size=7), ops=OPS, salt=st.integers(0, 2**16))
def test_no_stake_operation_after_the_seed_moves_the_verifier(world, stakes, ops, salt):
    with example(world):
        nodes, requester = staked_world(world, stakes)
        K.mine(1, salt=salt.to_bytes(3, "big"))
        req = world.request(requester)
        ful = world.fulfil(req)
        K.mine(1, salt=b"s" + salt.to_bytes(3, "big"))
        verifier = world.arbiter.sampledVerifier(req, ful, [])
        assert verifier not in (0, req[8])
        for op, target in ops:
            stake_operation(world, nodes, requester, op, target)
            same_history(salt)
            assert world.arbiter.sampledVerifier(req, ful, []) == verifier


@SETTINGS
@given(stakes=st.lists(st.integers(0, 5000), min_size=6, max_size=9), ops=OPS, salt=st.integers(0, 2**16))
def test_no_stake_operation_after_the_seed_moves_the_jury(world, stakes, ops, salt):
    with example(world):
        nodes, requester = staked_world(world, stakes)
        K.mine(1, salt=salt.to_bytes(3, "big"))
        req = world.request(requester)
        ful = world.fulfil(req, world.sign_result(world.node(req[8]), req, output=b"wrong"))
        K.mine(1, salt=b"s" + salt.to_bytes(3, "big"))
        v = world.node(world.arbiter.sampledVerifier(req, ful, []))
        world.arbiter.verify(req, ful, [], v.id, world.sign_result(v, req, output=b"right", role=K.ROLE_VERIFY))
        K.mine(1)
        with boa.env.anchor():
            world.arbiter.drawJurors(req[0], [])
            undisturbed = list(world.arbiter.disputes(req[0]).jurors) + list(world.arbiter.jurorReserve(req[0]))
        for op, target in ops:
            stake_operation(world, nodes, requester, op, target)
        K.mine(0)  # the history as it was laid when the jury was drawn above (salt b"")
        world.arbiter.drawJurors(req[0], [])
        drawn = list(world.arbiter.disputes(req[0]).jurors) + list(world.arbiter.jurorReserve(req[0]))
        assert drawn == undisturbed
        assert len(set(drawn)) == len(drawn) and not {req[8], v.id} & set(drawn)


@settings(max_examples=4, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(whale_share=st.sampled_from([0.5, 0.8, 0.95, 0.99]), others=st.integers(1, 4))
def test_every_executor_is_checked_at_rate_p_whatever_its_stake(world, whale_share, others):
    """A result gets a verifier exactly when its seed samples it (seed mod 10^4 < verifyBps), whoever
    executed it and whatever its share of the stake: every executor is checked at rate p, so a caught
    cheater's expected loss, p · σ · stake, grows with its stake."""
    with example(world):
        world.set_params(verifyBps=5000)
        small = [world.register() for _ in range(others)]
        whale = world.register(stake=max(int(others * K.ETHER * whale_share / (1 - whale_share)), K.ETHER))
        K.mine(256)
        requester = boa.env.generate_address()
        world.fund(requester, 1000 * K.ETHER)
        checked, sampled = {}, 0
        for i in range(80):
            req = world.request(requester)
            ful = world.fulfil(req)
            salt = i.to_bytes(2, "big")
            K.mine(1, salt=salt)
            # blockhash(fulfilledBlock) as the kit's mine() lays the history out
            seed = int.from_bytes(K.keccak(K.keccak(salt + ful[1].to_bytes(32, "big")) + req[0]), "big")
            expected = seed % 10000 < 5000
            verifier = world.arbiter.sampledVerifier(req, ful, [])
            assert (verifier != 0) == expected, (req[8], whale.id)
            assert verifier != req[8]
            sampled += expected
            checked[req[8]] = checked.get(req[8], 0) + 1
        assert whale.id in checked and 0.3 < sampled / 80 < 0.7
