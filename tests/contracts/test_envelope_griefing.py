"""Issue 12 item 4: a requester cannot get an honest node slashed with an envelope it broke on purpose.

The envelope (version 2, docs/envelope.md) commits to its data key and wraps it for each recipient with a
separate ephemeral key, in a way the chain can check once the requester reveals that ephemeral secret.
A node whose wrap does not open answers status 3: it is paid, never sampled or challenged for it, and as
verifier or juror it abstains. Only the requester can dispute such an answer (`Arbiter.proveWrap`), and
only a wrap that does open gets the node slashed. The envelopes here are built with coincurve,
independently of the Swift sealer and of the contract's parser.
"""
import os

import boa
import pytest
from coincurve import PrivateKey, PublicKey
from eth_utils import keccak

import cloister_kit as K

FULFILLED, VERIFIED, DISPUTED, UPHELD = 1, 2, 3, 4
DECRYPTION_FAILED = 3
REFUNDED = b"\x00" * 31 + b"\x02"
WRAP_LABEL, KEY_LABEL = b"cloister/v2/envelope/wrap", b"cloister/v2/envelope/key"


def xy(public: PublicKey) -> bytes:
    return public.format(compressed=False)[1:]


def address(point: bytes) -> bytes:
    return keccak(point)[12:]


def seal(world, requester: str, recipients: list[K.Node], payload: bytes, broken: set[int] = frozenset()):
    """Envelope v2 bytes and the ephemeral secrets; the wraps of the indices in `broken` have a flipped bit."""
    data_key = os.urandom(32)
    header = (b"CLEN" + b"\x02" + K.chain_id().to_bytes(8, "big") + bytes.fromhex(world.core.address[2:])
              + bytes.fromhex(requester[2:]) + PrivateKey(os.urandom(32)).public_key.format()
              + keccak(KEY_LABEL + data_key) + bytes([len(recipients)]))
    assert len(header) == 119
    entries, secrets = b"", []
    for i, node in enumerate(recipients):
        e = PrivateKey(os.urandom(32))
        p = PublicKey(b"\x04" + node.key.public_key)
        shared = xy(p.multiply(e.secret))
        kek = keccak(WRAP_LABEL + keccak(header) + address(shared) + xy(e.public_key) + node.key.public_key)
        wrapped = bytearray(a ^ b for a, b in zip(data_key, kek))
        if i in broken:
            wrapped[0] ^= 1
        entries += node.key.public_key + xy(e.public_key) + bytes(wrapped)
        secrets.append(int.from_bytes(e.secret, "big"))
    body = os.urandom(12) + len(payload).to_bytes(4, "big") + os.urandom(len(payload) + 16)  # stands in for AES-GCM
    return header + entries + body, secrets


def opens(envelope: bytes, index: int, node: K.Node) -> bool:
    """What the recipient enclave checks: its wrap yields the committed data key."""
    entry = envelope[119 + 160 * index:119 + 160 * (index + 1)]
    ephemeral, wrapped = entry[64:128], entry[128:]
    shared = xy(PublicKey(b"\x04" + ephemeral).multiply(node.key.secret))
    kek = keccak(WRAP_LABEL + keccak(envelope[:119]) + address(shared) + ephemeral + node.key.public_key)
    return keccak(KEY_LABEL + bytes(a ^ b for a, b in zip(wrapped, kek))) == envelope[86:118]



@pytest.fixture
def net(world):
    world.set_params(verifyBps=10000)
    nodes = [world.register() for _ in range(6)]
    K.mine(256)
    requester = boa.env.generate_address()
    world.fund(requester, 100 * K.ETHER)
    return world, nodes, requester


def encrypted_request(world, requester, nodes, broken=frozenset()):
    """An encrypted request to all `nodes`; the wraps at the indices in `broken` do not open."""
    ids = [n.id for n in nodes]
    envelope, secrets = seal(world, requester, nodes, b"is this review positive?", broken)
    req = world.request(requester, payload=envelope, recipients=ids)
    return req, envelope, secrets


def fulfil_failed(world, node, req):
    """The honest enclave's answer when its wrap does not open."""
    res = world.sign_result(node, req, status=DECRYPTION_FAILED, output=b"decryption failed",
                            commitment=keccak(b"salt" + req[0] + b"failed"))
    return world.fulfil(req, res)


def test_broken_wrap_for_the_executor_costs_the_requester_its_fee_and_the_node_nothing(net):
    world, nodes, requester = net
    # the requester cannot know which recipient will execute, so it breaks every wrap
    req, envelope, secrets = encrypted_request(world, requester, nodes, broken=set(range(len(nodes))))
    executor = world.node(req[8])
    index = [n.id for n in nodes].index(executor.id)
    assert not opens(envelope, index, executor)
    ful = fulfil_failed(world, executor, req)
    K.mine(1)
    ids = [n.id for n in nodes]
    assert world.arbiter.sampledVerifier(req, ful, ids) == 0  # never sampled
    challenger = next(n for n in nodes if n.id != executor.id)
    with boa.env.prank(challenger.operator), boa.reverts("challenge: unopened wrap"):
        world.arbiter.challenge(req, ful, challenger.id,
                                world.sign_result(challenger, req, output=b"real", commitment=keccak(b"real"),
                                                  role=K.ROLE_CHALLENGE), value=10**17)
    with boa.reverts("wrap: does not open"):
        world.arbiter.proveWrap(req, ful, executor.id, envelope, index, secrets[index])
    K.mine(151, seconds=3601)
    world.core.settle(req, ful)
    assert world.core.nodes(executor.id).stake == K.ETHER
    assert world.core.credits(executor.operator) == req[6] * 95 // 100  # paid for the broken envelope
    assert world.core.credits(requester) == 0
    assert world.accounted_ok()


def test_a_node_that_lies_about_its_wrap_is_caught_by_the_requester(net):
    world, nodes, requester = net
    req, envelope, secrets = encrypted_request(world, requester, nodes)
    executor = world.node(req[8])
    index = [n.id for n in nodes].index(executor.id)
    assert opens(envelope, index, executor)
    ful = fulfil_failed(world, executor, req)  # a lazy executor claims its wrap did not open
    with boa.reverts("wrap: not the node's key"):
        world.arbiter.proveWrap(req, ful, executor.id, envelope, (index + 1) % len(nodes), secrets[(index + 1) % len(nodes)])
    with boa.reverts("wrap: wrong secret"):
        world.arbiter.proveWrap(req, ful, executor.id, envelope, index, secrets[index] + 1)
    with boa.reverts("wrap: not the request's input"):
        world.arbiter.proveWrap(req, ful, executor.id, envelope + b"\x00", index, secrets[index])
    world.arbiter.proveWrap(req, ful, executor.id, envelope, index, secrets[index])
    assert world.core.nodes(executor.id).stake == K.ETHER // 2
    assert world.core.requests(req[0]) == REFUNDED
    assert world.core.credits(requester) == req[6]  # its fee back, the slash goes to the protocol
    assert world.accounted_ok() and world.core.disputePool() == 0


def test_a_verifier_whose_wrap_is_broken_abstains_and_is_not_slashed(net):
    world, nodes, requester = net
    ids = [n.id for n in nodes]
    for honest in (True, False):
        # first every wrap but the executor's is broken, then every wrap opens and the verifier lies
        req, envelope, secrets = encrypted_request(world, requester, nodes)
        executor = world.node(req[8])
        if honest:
            req, envelope, secrets = encrypted_request(world, requester, nodes, broken=set(range(len(nodes))))
            executor = world.node(req[8])
        ful = world.fulfil(req, world.sign_result(executor, req, output=b"ct", commitment=keccak(b"good")))
        K.mine(1)
        verifier = world.node(world.arbiter.sampledVerifier(req, ful, ids))
        bad_index = ids.index(verifier.id)
        assert opens(envelope, bad_index, verifier) is not honest
        abstention = world.sign_result(verifier, req, status=DECRYPTION_FAILED, output=b"decryption failed",
                                       commitment=keccak(b"failed"), role=K.ROLE_VERIFY)
        world.arbiter.verify(req, ful, ids, verifier.id, abstention)
        assert world.arbiter.abstained(req[0], verifier.id)
        assert world.core.requests(req[0]) == K.fulfilled_hash(req, ful)  # no dispute, still FULFILLED
        K.mine(150)
        with boa.reverts("silence: abstained"):
            world.arbiter.reportSilence(req, ful, ids)
        stake = world.core.nodes(verifier.id).stake
        if honest:
            with boa.reverts("wrap: does not open"):
                world.arbiter.proveWrap(req, ful, verifier.id, envelope, bad_index, secrets[bad_index])
            assert world.core.nodes(verifier.id).stake == stake
        else:  # the wrap was good: the requester reveals it and the verifier pays for lying
            world.arbiter.proveWrap(req, ful, verifier.id, envelope, bad_index, secrets[bad_index])
            assert world.core.nodes(verifier.id).stake == stake // 2
        assert world.core.requests(req[0]) == K.fulfilled_hash(req, ful)  # the executor's result stands
        assert world.accounted_ok()


def test_jurors_whose_wrap_is_broken_abstain_and_the_others_decide(net):
    world, nodes, requester = net
    ids = [n.id for n in nodes]
    req, envelope, secrets = encrypted_request(world, requester, nodes)
    executor = world.node(req[8])
    ful = world.fulfil(req, world.sign_result(executor, req, output=b"ct", commitment=keccak(b"wrong")))
    K.mine(1)
    v = world.node(world.arbiter.sampledVerifier(req, ful, ids))
    world.arbiter.verify(req, ful, ids, v.id, world.sign_result(v, req, output=b"ct", commitment=keccak(b"right"),
                                                                role=K.ROLE_VERIFY))
    K.mine(1)
    world.arbiter.drawJurors(req[0], ids)
    jurors = list(world.arbiter.disputes(req[0]).jurors)
    # the first juror's wrap does not open: it abstains; the others vote the truth
    world.arbiter.vote(req[0], 0, world.sign_result(world.node(jurors[0]), req, status=DECRYPTION_FAILED,
                                                    output=b"decryption failed", commitment=keccak(b"failed"),
                                                    role=K.ROLE_VOTE))
    for seat in range(1, len(jurors)):
        world.arbiter.vote(req[0], seat, world.sign_result(world.node(jurors[seat]), req, output=b"ct",
                                                           commitment=keccak(b"right"), role=K.ROLE_VOTE))
    world.arbiter.resolve(req, (ful[0], ful[1], ful[2], DISPUTED, ful[4], ful[5], ful[6]))
    assert world.core.nodes(jurors[0]).stake == K.ETHER  # abstaining is not absence
    assert world.core.nodes(executor.id).stake == K.ETHER // 2  # 3 of the 4 counted seats
    assert world.accounted_ok()


def test_a_wrap_to_a_key_the_node_rotated_away_proves_nothing(net):
    """A requester seals to a node's old key, which the node may have dropped since: whatever it answers,
    proveWrap counts only wraps to the node's current key, so an honest node cannot be slashed that way."""
    world, nodes, requester = net
    req, envelope, secrets = encrypted_request(world, requester, nodes)
    executor = world.node(req[8])
    index = [n.id for n in nodes].index(executor.id)
    new_key = world.new_key()
    quote, expiry, proof = world.attestation(new_key, executor.operator)
    with boa.env.prank(executor.operator):
        world.core.reattest(executor.id, new_key.public_key, quote, K.VERSION, expiry, proof)
    executor.key, executor.attestation_digest, executor.expiry = new_key, K.keccak(quote), expiry
    ful = fulfil_failed(world, executor, req)
    with boa.reverts("wrap: not the node's key"):
        world.arbiter.proveWrap(req, ful, executor.id, envelope, index, secrets[index])
    assert world.core.nodes(executor.id).stake == K.ETHER
