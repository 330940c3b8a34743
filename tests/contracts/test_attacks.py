"""The attacks of the protocol v2 review (issues 12 and 13), each tried against the contracts.

Every test plays the attacker as the review did and asserts what must hold afterwards: the attacker
gains nothing and no honest node loses anything. Each one failed on the v1 contracts.
"""
import boa
import pytest
from eth_utils import keccak

import cloister_kit as K

FULFILLED, VERIFIED, DISPUTED, UPHELD, OVERTURNED = 1, 2, 3, 4, 5
REFUNDED = b"\x00" * 31 + b"\x02"



def funded(world, amount=100 * K.ETHER):
    account = boa.env.generate_address()
    world.fund(account, amount)
    return account


def with_state(ful, state, verifier=None):
    return (ful[0], ful[1], ful[2], state, ful[4] if verifier is None else verifier, ful[5], ful[6])


# ---- issue 12, item 1: timeout-slash farming ---------------------------------------------------------
def test_timeout_farming_gains_the_requester_nothing(world):
    """Twenty rounds of deadline = now + 1 then refund took 1.82 ETH from a 10 ETH node in v1."""
    node = world.register(stake=10 * K.ETHER)
    attacker = funded(world)
    paid = 0
    for _ in range(20):
        with boa.env.prank(attacker), boa.reverts("request: deadline sooner than minResponseTime"):
            world.core.request(K.MODEL, b"x", K.ZERO, 0, K.now() + 1, b"", [node.id], value=K.MODEL_FEE)
        # the shortest deadline allowed: the node is offline, the attacker refunds
        req = world.request(attacker, deadline=K.now() + world.core.params().minResponseTime, recipients=[node.id])
        paid += K.MODEL_FEE
        boa.env.time_travel(seconds=world.core.params().minResponseTime + 1)
        world.core.refund(req)
    assert world.core.credits(attacker) == paid  # its fees back, not a wei more
    assert world.core.burned() == 10 * K.ETHER - world.core.nodes(node.id).stake
    assert world.accounted_ok()


def test_node_answering_within_min_response_time_is_never_slashed(world):
    node = world.register()
    attacker = funded(world)
    for _ in range(5):
        req = world.request(attacker, deadline=K.now() + world.core.params().minResponseTime)
        boa.env.time_travel(seconds=world.core.params().minResponseTime)
        world.fulfil(req)
        with boa.reverts("refund: request not pending"):
            world.core.refund(req)
    assert world.core.nodes(node.id).stake == K.ETHER


def test_operator_cannot_pull_stake_out_past_a_dispute_by_refunding_its_own_requests(world):
    """v1: an operator under dispute sent requests to its own node and refunded 9.5 of its 10 ETH."""
    world.set_params(verifyBps=10000)
    cheat = world.register(stake=10 * K.ETHER)
    others = [world.register() for _ in range(4)]
    K.mine(256)
    requester = funded(world)
    req = world.request(requester, recipients=[cheat.id] + [o.id for o in others])
    while req[8] != cheat.id:
        req = world.request(requester, recipients=[cheat.id] + [o.id for o in others])
    ful = world.fulfil(req, world.sign_result(cheat, req, output=b"wrong"))
    K.mine(1)
    v = world.node(world.arbiter.sampledVerifier(req, ful, [cheat.id] + [o.id for o in others]))
    world.arbiter.verify(req, ful, [cheat.id] + [o.id for o in others], v.id,
                         world.sign_result(v, req, output=b"positive", role=K.ROLE_VERIFY))
    credits_before = world.core.credits(cheat.operator)
    for _ in range(30):
        own = world.request(cheat.operator, deadline=K.now() + 200, recipients=[cheat.id])
        boa.env.time_travel(seconds=201)
        world.core.refund(own)
    # the operator got back only the fees it paid itself; the stake it lost is burned, not paid out
    assert world.core.credits(cheat.operator) - credits_before == 30 * K.MODEL_FEE
    stake = world.core.nodes(cheat.id).stake
    assert world.core.burned() == 10 * K.ETHER - stake
    with boa.env.prank(cheat.operator):
        world.core.exit(cheat.id)
    boa.env.time_travel(seconds=3 * 86400 + 1)
    with boa.env.prank(cheat.operator), boa.reverts("registry: open dispute"):
        world.core.withdrawStake(cheat.id)
    assert world.accounted_ok()


# ---- issue 12, item 2: result integrity -----------------------------------------------------------------
@pytest.mark.parametrize("field", ["status", "output"])
def test_relayer_cannot_change_a_signed_result(world, field):
    node = world.register()
    requester = funded(world)
    sealed = keccak(b"salt" + b"positive")
    req = world.request(requester, recipients=[node.id])  # encrypted: the commitment does not fix the output
    res = world.sign_result(node, req, output=b"ciphertext", commitment=sealed)
    forged = (3,) + res[1:] if field == "status" else res[:1] + (b"attacker's output",) + res[2:]
    relayer = funded(world)
    with boa.env.prank(relayer), boa.reverts("result: not the node's attested key"):
        world.core.fulfil(req, forged)
    with boa.env.prank(relayer):
        world.core.fulfil(req, res)  # the exact result may be relayed by anyone
    fulfilled = [e for e in world.core.get_logs() if type(e).__name__ == "Fulfilled"][0]
    assert fulfilled.output == b"ciphertext" and fulfilled.status == 0


def test_signature_is_bound_to_its_role(world):
    """An executor's signature cannot be posted as a verification, a vote or a challenge."""
    world.set_params(verifyBps=10000)
    nodes = [world.register() for _ in range(4)]
    K.mine(256)
    requester = funded(world)
    req = world.request(requester)
    ful = world.fulfil(req)
    K.mine(1)
    v = world.node(world.arbiter.sampledVerifier(req, ful, []))
    as_executor = world.sign_result(v, req)  # role EXECUTE, node v
    with boa.reverts("result: not the node's attested key"):
        world.arbiter.verify(req, ful, [], v.id, as_executor)
    with boa.reverts("result: not the node's attested key"):
        world.arbiter.verify(req, ful, [], v.id, world.sign_result(v, req, role=K.ROLE_VOTE))
    world.arbiter.verify(req, ful, [], v.id, world.sign_result(v, req, role=K.ROLE_VERIFY))
    assert len(nodes) == 4


# ---- issue 12, item 3: one enclave key, one node -------------------------------------------------------
def test_copied_quote_cannot_register_a_second_node(world):
    """v1: a copy of another node's public quote and proof registered a node sharing its key."""
    victim = world.register()
    copier = funded(world)
    receipt_quote, expiry, proof = world.attestation(victim.key, victim.operator)  # the victim's public data
    with boa.env.prank(copier), boa.reverts("admission: REPORTDATA does not bind signer"):
        world.core.register(victim.key.public_key, [K.MODEL], receipt_quote, K.VERSION, expiry, proof, value=K.ETHER)
    # even an attestation of the same key for the copier's own account is refused: the signer is taken
    quote, expiry, proof = world.attestation(victim.key, copier)
    with boa.env.prank(copier), boa.reverts("registry: signer belongs to another node"):
        world.core.register(victim.key.public_key, [K.MODEL], quote, K.VERSION, expiry, proof, value=K.ETHER)


def test_key_retired_by_rotation_never_serves_another_node(world):
    first = world.register()
    old_key = first.key
    new_key = world.new_key()
    quote, expiry, proof = world.attestation(new_key, first.operator)
    with boa.env.prank(first.operator):
        world.core.reattest(first.id, new_key.public_key, quote, K.VERSION, expiry, proof)
    other = funded(world)
    quote, expiry, proof = world.attestation(old_key, other)
    with boa.env.prank(other), boa.reverts("registry: signer belongs to another node"):
        world.core.register(old_key.public_key, [K.MODEL], quote, K.VERSION, expiry, proof, value=K.ETHER)


def test_signature_of_one_node_does_not_count_for_another(world):
    node = world.register()
    requester = funded(world)
    req = world.request(requester)
    with boa.reverts("result: not the node's attested key"):
        world.fulfil(req, world.sign_result(node, req, as_node=node.id + 1))


# ---- issue 12, item 6: batches -------------------------------------------------------------------------
def test_front_running_one_item_does_not_revert_the_batch(world):
    node = world.register()
    requester = funded(world)
    reqs = [world.request(requester) for _ in range(4)]
    results = [world.sign_result(node, r) for r in reqs]
    relayer = funded(world)
    with boa.env.prank(relayer):
        world.core.fulfil(reqs[2], results[2])  # copied from the pending batch and sent first
    with boa.env.prank(node.operator):
        world.core.fulfilBatch(reqs, results)
    assert [e.id for e in world.core.get_logs() if type(e).__name__ == "Fulfilled"] == [r[0] for i, r in enumerate(reqs) if i != 2]
    assert all(world.core.requests(r[0]) != REFUNDED for r in reqs)


# ---- issue 12, item 7: lifecycle holes ------------------------------------------------------------------
def test_node_with_lapsed_attestation_is_not_assigned_work(world):
    lapsing = world.register()
    quote, expiry, proof = world.attestation(lapsing.key, lapsing.operator, expiry=K.now() + 3600)
    with boa.env.prank(lapsing.operator):
        world.core.reattest(lapsing.id, lapsing.key.public_key, quote, K.VERSION, expiry, proof)
    healthy = world.register()
    boa.env.time_travel(seconds=3600)
    requester = funded(world)
    assigned = {world.request(requester)[8] for _ in range(20)}
    assert assigned == {healthy.id}
    lapsed = [e for e in world.core.get_logs() if type(e).__name__ == "AttestationLapsed"]
    assert all(e.node == lapsing.id for e in lapsed)
    # renewing brings it back
    quote, expiry, proof = world.attestation(lapsing.key, lapsing.operator)
    with boa.env.prank(lapsing.operator):
        world.core.reattest(lapsing.id, lapsing.key.public_key, quote, K.VERSION, expiry, proof)
    assert lapsing.id in {world.request(requester)[8] for _ in range(40)}


def test_node_without_stake_cannot_reattest(world):
    node = world.register()
    with boa.env.prank(node.operator):
        world.core.exit(node.id)
    boa.env.time_travel(seconds=3 * 86400)
    with boa.env.prank(node.operator):
        world.core.withdrawStake(node.id)
    quote, expiry, proof = world.attestation(node.key, node.operator)
    with boa.env.prank(node.operator), boa.reverts("registry: no stake"):
        world.core.reattest(node.id, node.key.public_key, quote, K.VERSION, expiry, proof)
    assert world.core.nodeKey(node.id) == K.ZERO32


# ---- issue 13, item 1: steering the draw ---------------------------------------------------------------
def test_stake_top_up_after_the_seed_does_not_move_the_verifier(world):
    """v1: 0.01 ETH added to a sybil after the seed was known made it the verifier of its own wrong result."""
    world.set_params(verifyBps=10000)
    honest = [world.register() for _ in range(3)]
    cheat = world.register()
    sybil = world.register()
    K.mine(256)
    requester = funded(world)
    req = world.request(requester)
    while req[8] != cheat.id:
        req = world.request(requester)
    ful = world.fulfil(req, world.sign_result(cheat, req, output=b"wrong"))
    K.mine(1)
    verifier = world.arbiter.sampledVerifier(req, ful, [])
    assert verifier not in (0, cheat.id)
    world.fund(sybil.operator, 200 * K.ETHER)
    for top_up in (10**16, 10 * K.ETHER, 100 * K.ETHER):
        with boa.env.prank(sybil.operator):
            world.core.addStake(sybil.id, value=top_up)
        assert world.arbiter.sampledVerifier(req, ful, []) == verifier
    # nor does a new registration or an exit of the drawn node
    newcomer = world.register(stake=50 * K.ETHER)
    with boa.env.anchor():
        with boa.env.prank(world.node(verifier).operator):
            world.core.exit(verifier)
        assert world.arbiter.sampledVerifier(req, ful, []) == verifier
    assert newcomer.id != verifier and len(honest) == 3
    # the node drawn before the seed is the one that verifies: the wrong result goes to a dispute
    v = world.node(verifier)
    world.arbiter.verify(req, ful, [], v.id, world.sign_result(v, req, output=b"right", role=K.ROLE_VERIFY))
    assert world.arbiter.disputes(req[0]).challenger == v.id


def test_jury_is_fixed_by_the_stakes_before_the_dispute_epoch(world):
    world.set_params(verifyBps=10000)
    nodes = [world.register() for _ in range(7)]
    K.mine(256)
    requester = funded(world)
    req = world.request(requester)
    ful = world.fulfil(req, world.sign_result(world.node(req[8]), req, output=b"wrong"))
    K.mine(1)
    v = world.node(world.arbiter.sampledVerifier(req, ful, []))
    with boa.env.anchor():
        world.arbiter.verify(req, ful, [], v.id, world.sign_result(v, req, output=b"positive", role=K.ROLE_VERIFY))
        K.mine(1)
        world.arbiter.drawJurors(req[0], [])
        untouched = list(world.arbiter.disputes(req[0]).jurors) + list(world.arbiter.jurorReserve(req[0]))
    world.arbiter.verify(req, ful, [], v.id, world.sign_result(v, req, output=b"positive", role=K.ROLE_VERIFY))
    # the attacker learns blockhash(openedBlock) and tops up a third of the nodes before drawing
    for n in nodes[:3]:
        world.fund(n.operator, 20 * K.ETHER)
        with boa.env.prank(n.operator):
            world.core.addStake(n.id, value=20 * K.ETHER)
    sybil = world.register(stake=100 * K.ETHER)
    K.mine(1)
    world.arbiter.drawJurors(req[0], [])
    steered = list(world.arbiter.disputes(req[0]).jurors) + list(world.arbiter.jurorReserve(req[0]))
    assert steered == untouched and sybil.id not in steered


# ---- issue 13, item 2: exact exclusion -----------------------------------------------------------------
def test_a_dominant_executor_is_always_verified(world):
    """v1: a node with 95 % of the stake went unverified on 72 % of its results at verifyBps = 100 %."""
    world.set_params(verifyBps=10000)
    whale = world.register(stake=95 * K.ETHER)
    small = [world.register() for _ in range(5)]
    K.mine(256)
    requester = funded(world)
    by_whale = 0
    for i in range(30):
        K.mine(1, salt=i.to_bytes(2, "big"))
        req = world.request(requester)
        ful = world.fulfil(req)
        K.mine(1, salt=b"v" + i.to_bytes(2, "big"))
        verifier = world.arbiter.sampledVerifier(req, ful, [])
        assert verifier != 0 and verifier != req[8]
        if req[8] == whale.id:
            assert verifier in {n.id for n in small}
            by_whale += 1
    assert by_whale >= 20  # about 95 % of 30 requests; every one of them got a verifier


# ---- issue 13, item 3: winning by absence, silent verifiers, confirming verifiers --------------------------
def test_verifier_that_confirmed_a_wrong_result_shares_the_executors_fate(world):
    world.set_params(verifyBps=10000)
    nodes = [world.register() for _ in range(6)]
    K.mine(256)
    requester = funded(world)
    req = world.request(requester)
    executor = world.node(req[8])
    ful = world.fulfil(req, world.sign_result(executor, req, output=b"wrong"))
    K.mine(1)
    lazy = world.node(world.arbiter.sampledVerifier(req, ful, []))
    # the verifier confirms without re-executing: it signs the executor's commitment
    world.arbiter.verify(req, ful, [], lazy.id, world.sign_result(lazy, req, output=b"wrong", role=K.ROLE_VERIFY))
    verified = with_state(ful, VERIFIED, verifier=lazy.id)
    challenger = next(n for n in nodes if n.id not in (executor.id, lazy.id))
    with boa.env.prank(challenger.operator):
        world.arbiter.challenge(req, verified, challenger.id,
                                world.sign_result(challenger, req, output=b"positive", role=K.ROLE_CHALLENGE), value=10**17)
    K.mine(1)
    world.arbiter.drawJurors(req[0], [])
    jurors = list(world.arbiter.disputes(req[0]).jurors)
    assert lazy.id not in jurors and executor.id not in jurors and challenger.id not in jurors
    for seat, j in enumerate(jurors):
        world.arbiter.vote(req[0], seat, world.sign_result(world.node(j), req, output=b"positive", role=K.ROLE_VOTE))
    world.arbiter.resolve(req, with_state(verified, DISPUTED))
    assert world.core.nodes(executor.id).stake == K.ETHER // 2
    assert world.core.nodes(lazy.id).stake == K.ETHER // 2
    assert world.accounted_ok()


def test_silent_sampled_verifier_loses_stake(world):
    world.set_params(verifyBps=10000)
    [world.register() for _ in range(4)]
    K.mine(256)
    requester = funded(world)
    req = world.request(requester)
    ful = world.fulfil(req)
    K.mine(1)
    silent = world.arbiter.sampledVerifier(req, ful, [])
    with boa.reverts("silence: window open"):
        world.arbiter.reportSilence(req, ful, [])
    K.mine(150)
    world.arbiter.reportSilence(req, ful, [])
    assert world.core.nodes(silent).stake == K.ETHER - K.ETHER // 10
    with boa.reverts("silence: already reported"):
        world.arbiter.reportSilence(req, ful, [])
    assert world.accounted_ok()


# ---- issue 12, item 8: the example consumer -------------------------------------------------------------
def test_example_consumer_returns_refunds_to_the_asker(world):
    node = world.register()
    consumer = K.factory("examples/ZeroShotClassifier.vy").deploy(world.core.address, K.MODEL)
    asker, other = funded(world), funded(world)
    question = b"text: great movie | labels: positive, negative"
    fee = consumer.fee()
    assert fee == K.MODEL_FEE + 300000 * (10**9 * 10000 // 8500)  # the callback's gas at the published price
    with boa.env.prank(asker):
        rid = consumer.ask(question, 600, value=fee)
    with boa.env.prank(other):
        rid2 = consumer.ask(question, 600, value=fee)
    req = (rid, consumer.address, K.MODEL, keccak(question), consumer.address, 300000, fee, K.now() + 600,
           node.id, K.ZERO32)
    req2 = (rid2,) + req[1:]
    with boa.env.prank(asker), boa.reverts("refund: deadline not passed"):
        consumer.reclaim(req)
    boa.env.time_travel(seconds=601)
    with boa.env.prank(other), boa.reverts("not the asker"):
        consumer.reclaim(req)
    world.core.refund(req2)  # anyone may refund; the fee is credited to the consumer contract
    before = boa.env.get_balance(asker)
    with boa.env.prank(asker):
        consumer.reclaim(req)
    assert boa.env.get_balance(asker) == before + fee
    with boa.env.prank(asker), boa.reverts("nothing to reclaim"):
        consumer.reclaim(req)
    before = boa.env.get_balance(other)
    with boa.env.prank(other):
        consumer.reclaim(req2)
    assert boa.env.get_balance(other) == before + fee
    assert boa.env.get_balance(consumer.address) == 0 and world.core.credits(consumer.address) == 0
