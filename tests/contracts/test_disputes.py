"""Verification sampling, disputes with juries, slashing, corrected results and bonded challenges."""
import boa
import pytest
from eth_utils import keccak

import cloister_kit as K

FULFILLED, VERIFIED, DISPUTED, UPHELD, OVERTURNED = 1, 2, 3, 4, 5



@pytest.fixture
def net(world):
    world.set_params(verifyBps=10000)
    nodes = [world.register() for _ in range(6)]
    K.mine(256)  # verifiers and jurors are drawn from the stakes of the epoch before
    requester = boa.env.generate_address()
    world.fund(requester)
    return world, nodes, requester


def fulfilled(world, requester, **kw):
    req = world.request(requester, **kw)
    ful = world.fulfil(req)
    K.mine(1)
    return req, ful


def with_state(ful, state, verifier=None, commitment=None):
    return (commitment or ful[0], ful[1], ful[2], state, ful[4] if verifier is None else verifier, ful[5], ful[6])


def open_by_verifier(world, requester, verifier_output=b"negative"):
    req, ful = fulfilled(world, requester)
    v = world.node(world.arbiter.sampledVerifier(req, ful, []))
    world.arbiter.verify(req, ful, [], v.id, world.sign_result(v, req, output=verifier_output, role=K.ROLE_VERIFY))
    K.mine(1)
    world.arbiter.drawJurors(req[0], [])
    return req, ful, v, list(world.arbiter.disputes(req[0]).jurors)


def test_sampling_follows_blockhash_and_excludes_executor(net):
    world, nodes, requester = net
    req = world.request(requester)
    ful = world.fulfil(req)
    assert world.arbiter.sampledVerifier(req, ful, []) == 0  # unknown until the next block
    K.mine(1)
    verifier = world.arbiter.sampledVerifier(req, ful, [])
    assert verifier not in (0, req[8])
    world.set_params(verifyBps=0)
    assert world.arbiter.sampledVerifier(req, ful, []) == verifier  # a result in flight keeps its parameters
    later = world.request(requester)
    later_ful = world.fulfil(later)
    K.mine(1)
    assert world.arbiter.sampledVerifier(later, later_ful, []) == 0
    world.set_params(verifyBps=100)
    hits = 0
    for i in range(200):  # about 1% of block hashes select a verifier
        K.mine(1, salt=i.to_bytes(2, "big"))
        req_i = world.request(requester)
        ful_i = world.fulfil(req_i)
        K.mine(1, salt=b"s" + i.to_bytes(2, "big"))
        hits += world.arbiter.sampledVerifier(req_i, ful_i, []) != 0
    assert 0 <= hits <= 8


def test_nondeterministic_models_are_not_sampled(net):
    world, nodes, requester = net
    world.core.setModel(K.MODEL, K.MODEL_FEE, False, True)
    req, ful = fulfilled(world, requester)
    assert world.arbiter.sampledVerifier(req, ful, []) == 0


def test_matching_verification_confirms_and_pays_verifier(net):
    world, nodes, requester = net
    req, ful = fulfilled(world, requester, fee=10**16)
    v = world.node(world.arbiter.sampledVerifier(req, ful, []))
    stranger = next(n for n in nodes if n.id not in (v.id, req[8]))
    with boa.reverts("verify: not the sampled verifier"):
        world.arbiter.verify(req, ful, [], stranger.id, world.sign_result(stranger, req, role=K.ROLE_VERIFY))
    with boa.reverts("verify: recipients mismatch"):
        world.arbiter.verify(req, ful, [v.id], v.id, world.sign_result(v, req, role=K.ROLE_VERIFY))
    with boa.reverts("result: not the node's attested key"):
        world.arbiter.verify(req, ful, [], v.id, world.sign_result(stranger, req, role=K.ROLE_VERIFY))
    world.arbiter.verify(req, ful, [], v.id, world.sign_result(v, req, role=K.ROLE_VERIFY))
    confirmed = with_state(ful, VERIFIED, verifier=v.id)
    with boa.reverts("dispute: unknown result"):
        world.arbiter.verify(req, ful, [], v.id, world.sign_result(v, req, role=K.ROLE_VERIFY))
    K.mine(150, seconds=3600)
    world.core.settle(req, confirmed)
    assert world.core.credits(v.operator) == 10**16 // 10
    assert world.core.credits(world.node(req[8]).operator) == 10**16 * 85 // 100
    assert world.accounted_ok()


def test_verification_window_closes(net):
    world, nodes, requester = net
    req, ful = fulfilled(world, requester)
    v = world.node(world.arbiter.sampledVerifier(req, ful, []))
    K.mine(150)
    with boa.reverts("verify: window closed"):
        world.arbiter.verify(req, ful, [], v.id, world.sign_result(v, req, role=K.ROLE_VERIFY))


def test_verification_must_come_inside_the_challenge_window(net):
    world, nodes, requester = net
    req, ful = fulfilled(world, requester)
    v = world.node(world.arbiter.sampledVerifier(req, ful, []))
    boa.env.time_travel(seconds=3600)
    boa.env.evm.patch.block_number = ful[1] + 2  # still inside the block window
    with boa.reverts("verify: challenge window closed"):
        world.arbiter.verify(req, ful, [], v.id, world.sign_result(v, req, role=K.ROLE_VERIFY))


def test_dispute_executor_loses_requester_refunded_and_corrected(net):
    world, nodes, requester = net
    consumer = K.factory("examples/ZeroShotClassifier.vy").deploy(world.core.address, K.MODEL)
    fee = consumer.fee()
    with boa.env.prank(requester):
        rid = consumer.ask(b"text", 600, value=fee)
    event = [e for e in world.core.get_logs(computation=consumer._computation, strict=False) if type(e).__name__ == "Requested"][0]
    req = (rid, consumer.address, K.MODEL, keccak(b"text"), consumer.address, 300000, fee, event.deadline, event.node, K.ZERO32)
    executor = world.node(req[8])
    ful = world.fulfil(req, world.sign_result(executor, req, output=b"wrong"))
    K.mine(1)
    v = world.node(world.arbiter.sampledVerifier(req, ful, []))
    with boa.reverts("resolve: not disputed"):
        world.arbiter.resolve(req, ful)
    world.arbiter.verify(req, ful, [], v.id, world.sign_result(v, req, output=b"positive", role=K.ROLE_VERIFY))
    disputed = with_state(ful, DISPUTED)
    with boa.reverts("jury: wait one block"):
        world.arbiter.drawJurors(req[0], [])
    with boa.env.prank(executor.operator):
        world.core.exit(executor.id)
    K.mine(1)
    world.arbiter.drawJurors(req[0], [])
    with boa.reverts("jury: already drawn"):
        world.arbiter.drawJurors(req[0], [])
    jurors = list(world.arbiter.disputes(req[0]).jurors)
    assert len(jurors) == 3 and not {executor.id, v.id} & set(jurors)
    with boa.reverts("resolve: jury still voting"):
        world.arbiter.resolve(req, disputed)
    for seat, j in enumerate(jurors):
        world.arbiter.vote(req[0], seat, world.sign_result(world.node(j), req, output=b"positive", role=K.ROLE_VOTE))
    with boa.reverts("vote: already voted"):
        world.arbiter.vote(req[0], 0, world.sign_result(world.node(jurors[0]), req, output=b"positive", role=K.ROLE_VOTE))
    boa.env.time_travel(seconds=3 * 86400)
    with boa.env.prank(executor.operator), boa.reverts("registry: open dispute"):
        world.core.withdrawStake(executor.id)
    world.arbiter.resolve(req, disputed)
    winner = K.plaintext_commitment(rid, 0, b"positive")
    assert world.arbiter.disputes(req[0]).winner == winner
    slashed = K.ETHER // 2
    assert world.core.nodes(executor.id).stake == K.ETHER - slashed
    for n in [v.id] + jurors:
        assert world.core.credits(world.node(n).operator) == slashed // 4
        assert world.core.nodes(n).stake == K.ETHER  # the majority is never slashed
    assert world.core.credits(consumer.address) == fee and world.core.escrowed() == 0
    assert world.accounted_ok() and world.core.disputePool() == 0
    overturned = with_state(ful, OVERTURNED, commitment=winner)
    with boa.reverts("correct: node not on the winning side"):
        world.arbiter.deliverCorrected(req, overturned, executor.id, world.sign_result(executor, req, output=b"positive"))
    world.arbiter.deliverCorrected(req, overturned, jurors[1], world.sign_result(world.node(jurors[1]), req, output=b"positive", role=K.ROLE_VOTE))
    assert consumer.answers(rid).label == b"positive"
    assert world.core.requests(rid) == b"\x00" * 31 + b"\x01"
    with boa.env.prank(executor.operator):
        world.core.withdrawStake(executor.id)  # the dispute is closed now


def test_dispute_executor_wins_verifier_slashed(net):
    world, nodes, requester = net
    req, ful, v, jurors = open_by_verifier(world, requester, verifier_output=b"negative")
    for seat, j in enumerate(jurors):
        world.arbiter.vote(req[0], seat, world.sign_result(world.node(j), req, output=b"positive", role=K.ROLE_VOTE))
    world.arbiter.resolve(req, with_state(ful, DISPUTED))
    assert world.core.nodes(v.id).stake == K.ETHER // 2
    assert world.core.nodes(req[8]).stake == K.ETHER
    upheld = with_state(ful, UPHELD)
    world.core.settle(req, upheld)  # no need to wait: the dispute decided it
    assert world.core.credits(world.node(req[8]).operator) == K.ETHER // 2 // 4 + K.MODEL_FEE * 95 // 100
    assert world.accounted_ok()


def test_no_majority_refunds_the_requester_flags_model_and_slashes_nobody(net):
    world, nodes, requester = net
    req, ful, v, jurors = open_by_verifier(world, requester)
    for seat, (j, out) in enumerate(zip(jurors, [b"a", b"b", b"c"])):
        world.arbiter.vote(req[0], seat, world.sign_result(world.node(j), req, output=out, role=K.ROLE_VOTE))
    world.arbiter.resolve(req, with_state(ful, DISPUTED))
    assert all(world.core.nodes(n.id).stake == K.ETHER for n in nodes)
    assert world.core.models(K.MODEL).deterministic is False  # every seat voted and still no majority
    # nobody earns the fee of a result no majority stands behind: it goes back to the requester
    assert world.core.requests(req[0]) == b"\x00" * 31 + b"\x02"
    assert world.core.credits(requester) == K.MODEL_FEE
    assert world.core.credits(world.node(req[8]).operator) == 0
    with boa.reverts("settle: unknown result"):
        world.core.settle(req, with_state(ful, UPHELD))
    assert world.accounted_ok()


def test_absent_jurors_slashed_and_replaced_from_the_reserve_drawn_with_the_jury(net):
    world, nodes, requester = net
    for _ in range(2):
        world.register()
    K.mine(256)
    req, ful, v, jurors = open_by_verifier(world, requester)
    reserve = list(world.arbiter.jurorReserve(req[0]))
    parties = {req[8], v.id}
    assert len(set(jurors + reserve)) == len(jurors + reserve) and not parties & set(jurors + reserve)
    world.arbiter.vote(req[0], 0, world.sign_result(world.node(jurors[0]), req, output=b"negative", role=K.ROLE_VOTE))
    with boa.reverts("jury: deadline not passed"):
        world.arbiter.replaceAbsentJurors(req[0], [])
    boa.env.time_travel(seconds=3601)
    with boa.reverts("vote: deadline passed"):
        world.arbiter.vote(req[0], 1, world.sign_result(world.node(jurors[1]), req, output=b"negative", role=K.ROLE_VOTE))
    with boa.reverts("resolve: replace absent jurors first"):
        world.arbiter.resolve(req, with_state(ful, DISPUTED))
    world.arbiter.replaceAbsentJurors(req[0], [])
    absent_penalty = K.ETHER // 10
    assert world.core.nodes(jurors[1]).stake == K.ETHER - absent_penalty
    assert world.core.nodes(jurors[2]).stake == K.ETHER - absent_penalty
    replaced = list(world.arbiter.disputes(req[0]).jurors)
    # the replacements are the next jurors of the reserve, in order: no new randomness to steer
    assert replaced == [jurors[0]] + reserve[:2]
    for seat in (1, 2):
        world.arbiter.vote(req[0], seat, world.sign_result(world.node(replaced[seat]), req, output=b"negative", role=K.ROLE_VOTE))
    world.arbiter.resolve(req, with_state(ful, DISPUTED))
    assert world.core.nodes(req[8]).stake == K.ETHER // 2
    assert world.accounted_ok() and world.core.disputePool() == 0


def test_absence_decides_nothing_the_jury_is_dismissed_and_redrawn(net):
    """Attack: a caught executor whose jurors stay away used to tie and be paid; now absence only costs."""
    world, nodes, requester = net
    world.set_params(maxJurorRounds=0)
    req, ful, v, jurors = open_by_verifier(world, requester)
    world.arbiter.vote(req[0], 0, world.sign_result(world.node(jurors[0]), req, output=b"negative", role=K.ROLE_VOTE))
    boa.env.time_travel(seconds=3601)
    with boa.reverts("jury: no rounds left"):
        world.arbiter.replaceAbsentJurors(req[0], [])
    executor_credit = world.core.credits(world.node(req[8]).operator)
    world.arbiter.resolve(req, with_state(ful, DISPUTED))
    # negative holds 2 of 5 seats: no majority, and seats stayed empty: the jury is dismissed, not the dispute
    assert [type(e).__name__ for e in world.arbiter.get_logs()][-1] == "JuryDismissed"
    assert world.core.requests(req[0]) == K.fulfilled_hash(req, with_state(ful, DISPUTED))
    assert world.core.nodes(req[8]).stake == K.ETHER and world.core.nodes(req[8]).openDisputes == 1
    assert world.core.credits(world.node(req[8]).operator) == executor_credit
    for absent in jurors[1:]:
        assert world.core.nodes(absent).stake == K.ETHER - K.ETHER // 10
    # fresh juries until one decides: jurors jailed by their absence (stake below minStake) cannot vote
    # and are absent again, which again decides nothing
    for _ in range(5):
        K.mine(1)
        world.arbiter.drawJurors(req[0], [])
        fresh = list(world.arbiter.disputes(req[0]).jurors)
        assert fresh and not {req[8], v.id} & set(fresh)
        for seat, juror in enumerate(fresh):
            if world.core.nodeKey(juror) != K.ZERO32:
                world.arbiter.vote(req[0], seat, world.sign_result(world.node(juror), req, output=b"negative", role=K.ROLE_VOTE))
        boa.env.time_travel(seconds=3601)
        world.arbiter.resolve(req, with_state(ful, DISPUTED))
        if world.arbiter.disputes(req[0]).resolved:
            break
    assert world.arbiter.disputes(req[0]).resolved
    assert world.core.nodes(req[8]).stake == K.ETHER // 2  # the cheater gained nothing from the absence
    assert world.core.credits(requester) == K.MODEL_FEE
    assert all(world.core.nodes(n.id).openDisputes == 0 for n in nodes)
    assert world.accounted_ok()


@pytest.fixture
def unsampled(world):
    """A fulfilled result that was not sampled, and a node that may challenge it."""
    world.set_params(verifyBps=0)
    nodes = [world.register() for _ in range(5)]
    K.mine(256)
    requester = boa.env.generate_address()
    world.fund(requester)
    req, ful = fulfilled(world, requester)
    challenger = next(n for n in nodes if n.id != req[8])
    return world, req, ful, challenger


def test_bonded_challenge_wins(unsampled):
    world, req, ful, challenger = unsampled
    bond = 10**17
    res = world.sign_result(challenger, req, output=b"negative", role=K.ROLE_CHALLENGE)
    with boa.env.prank(challenger.operator), boa.reverts("challenge: bond too small"):
        world.arbiter.challenge(req, ful, challenger.id, res, value=bond - 1)
    stranger = boa.env.generate_address()
    world.fund(stranger)
    with boa.env.prank(stranger), boa.reverts("challenge: not the node operator"):
        world.arbiter.challenge(req, ful, challenger.id, res, value=bond)
    executor = world.node(req[8])
    with boa.env.prank(executor.operator), boa.reverts("challenge: own result"):
        world.arbiter.challenge(req, ful, executor.id, world.sign_result(executor, req, output=b"negative", role=K.ROLE_CHALLENGE), value=bond)
    with boa.env.prank(challenger.operator), boa.reverts("challenge: same commitment"):
        world.arbiter.challenge(req, ful, challenger.id, world.sign_result(challenger, req, role=K.ROLE_CHALLENGE), value=bond)
    with boa.env.prank(challenger.operator):
        world.arbiter.challenge(req, ful, challenger.id, res, value=bond)
    assert world.core.bonds() == bond and world.accounted_ok()
    K.mine(1)
    world.arbiter.drawJurors(req[0], [])
    jurors = list(world.arbiter.disputes(req[0]).jurors)
    for seat, j in enumerate(jurors):
        world.arbiter.vote(req[0], seat, world.sign_result(world.node(j), req, output=b"negative", role=K.ROLE_VOTE))
    world.arbiter.resolve(req, with_state(ful, DISPUTED))
    share = K.ETHER // 2 // (1 + len(jurors))
    assert world.core.credits(challenger.operator) == bond + share
    assert world.core.bonds() == 0 and world.accounted_ok()


def test_bonded_challenge_loses_bond(unsampled):
    world, req, ful, challenger = unsampled
    with boa.env.prank(challenger.operator):
        world.arbiter.challenge(req, ful, challenger.id, world.sign_result(challenger, req, output=b"negative", role=K.ROLE_CHALLENGE), value=10**17)
    K.mine(1)
    world.arbiter.drawJurors(req[0], [])
    jurors = list(world.arbiter.disputes(req[0]).jurors)
    for seat, j in enumerate(jurors):
        world.arbiter.vote(req[0], seat, world.sign_result(world.node(j), req, output=b"positive", role=K.ROLE_VOTE))
    world.arbiter.resolve(req, with_state(ful, DISPUTED))
    pool = K.ETHER // 2 + 10**17
    winners = 1 + len(jurors)
    assert world.core.credits(world.node(jurors[0]).operator) == pool // winners
    assert world.core.protocolFees() == pool - pool // winners * winners
    assert world.core.nodes(challenger.id).stake == K.ETHER // 2
    assert world.accounted_ok()


def test_challenge_window_closes(unsampled):
    world, req, ful, challenger = unsampled
    boa.env.time_travel(seconds=3600)
    with boa.env.prank(challenger.operator), boa.reverts("challenge: window closed"):
        world.arbiter.challenge(req, ful, challenger.id, world.sign_result(challenger, req, output=b"negative", role=K.ROLE_CHALLENGE), value=10**17)


def test_encrypted_request_verifier_and_jurors_come_from_recipients(net):
    world, nodes, requester = net
    recipients = [n.id for n in nodes[:4]]
    req = world.request(requester, recipients=recipients)
    executor = world.node(req[8])
    sealed = keccak(b"salted")
    ful = world.fulfil(req, world.sign_result(executor, req, output=b"ct", commitment=sealed))
    K.mine(1)
    v = world.arbiter.sampledVerifier(req, ful, recipients)
    assert v in recipients and v != executor.id
    world.arbiter.verify(req, ful, recipients, v, world.sign_result(world.node(v), req, output=b"ct2", commitment=keccak(b"other"), role=K.ROLE_VERIFY))
    K.mine(1)
    with boa.reverts("jury: recipients mismatch"):
        world.arbiter.drawJurors(req[0], [])
    world.arbiter.drawJurors(req[0], recipients)
    jurors = list(world.arbiter.disputes(req[0]).jurors)
    assert set(jurors) == set(recipients) - {executor.id, v}
