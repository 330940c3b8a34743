"""Requests: escrow, caps, assignment by stake, encrypted-input recipients, the Requested event."""
from collections import Counter

import boa
import eth_abi
from eth_utils import keccak

import cloister_kit as K


def _requester(world):
    account = boa.env.generate_address()
    world.fund(account)
    return account


def test_request_escrows_fee_and_emits_everything_a_node_needs(world):
    node = world.register()
    requester = _requester(world)
    deadline = K.now() + 300
    with boa.env.prank(requester):
        rid = world.core.request(K.MODEL, b"hello", K.ZERO, 0, deadline, b"\x02" * 33, [], value=K.MODEL_FEE + 7)
    event = world.core.get_logs()[-1]
    assert type(event).__name__ == "Requested"
    assert event.id == rid and event.node == node.id and event.model == K.MODEL
    assert event.requester == requester and event.fee == K.MODEL_FEE + 7 and event.deadline == deadline
    assert event.input == b"hello" and event.outputKey == b"\x02" * 33 and list(event.recipients) == []
    assert rid == keccak(eth_abi.encode(["uint256", "address", "address", "uint256"], [K.chain_id(), world.core.address, requester, 0]))
    req = (rid, requester, K.MODEL, keccak(b"hello"), K.ZERO, 0, K.MODEL_FEE + 7, deadline, node.id, K.ZERO32)
    assert world.core.requests(rid) == keccak(eth_abi.encode(["(bytes32,address,bytes32,bytes32,address,uint256,uint256,uint256,uint256,bytes32)"], [req]))
    assert world.core.escrowed() == K.MODEL_FEE + 7 and world.core.requestCount() == 1
    assert world.accounted_ok()


def test_request_reverts(world):
    world.register()
    requester = _requester(world)
    deadline = K.now() + 300
    cases = [
        ("request: unknown model", dict(model=keccak(b"nope"))),
        ("request: fee below model fee", dict(value=K.MODEL_FEE - 1)),
        ("request: input too large", dict(payload=b"x" * 4097)),
        ("request: deadline sooner than minResponseTime", dict(deadline=K.now())),
        ("request: deadline sooner than minResponseTime", dict(deadline=K.now() + 119)),
        ("request: deadline too far", dict(deadline=K.now() + 86401)),
        ("request: callback gas above cap", dict(callback=requester, gas=500001)),
        ("request: no eligible node", dict(recipients=[99])),
    ]
    for message, o in cases:
        with boa.env.prank(requester), boa.reverts(message):
            world.core.request(o.get("model", K.MODEL), o.get("payload", b"x"), o.get("callback", K.ZERO), o.get("gas", 0),
                               o.get("deadline", deadline), b"", o.get("recipients", []), value=o.get("value", K.MODEL_FEE))


def test_paused_blocks_requests_only(world):
    world.register()
    requester = _requester(world)
    req = world.request(requester)
    world.core.setPaused(True)
    with boa.env.prank(requester), boa.reverts("owned: paused"):
        world.core.request(K.MODEL, b"x", K.ZERO, 0, K.now() + 600, b"", [], value=K.MODEL_FEE)
    world.fulfil(req)  # work already accepted continues
    world.core.setPaused(False)
    world.request(requester)


def test_disabled_model_rejects_requests(world):
    world.register()
    world.core.setModel(K.MODEL, K.MODEL_FEE, True, False)
    with boa.env.prank(_requester(world)), boa.reverts("request: unknown model"):
        world.core.request(K.MODEL, b"x", K.ZERO, 0, K.now() + 600, b"", [], value=K.MODEL_FEE)


def test_assignment_is_stake_weighted(world):
    heavy = world.register(stake=3 * K.ETHER)
    light = world.register(stake=K.ETHER)
    requester = _requester(world)
    counts = Counter()
    for i in range(400):
        boa.env.evm.patch.prevrandao = keccak(i.to_bytes(4, "big"))
        counts[world.request(requester, deadline=K.now() + 600)[8]] += 1
    share = counts[heavy.id] / 400
    # expected 0.75; 400 draws give a standard deviation of about 0.022
    assert 0.68 < share < 0.82, counts
    assert counts[light.id] > 0


def test_encrypted_request_assigns_only_among_recipients(world):
    nodes = [world.register() for _ in range(5)]
    chosen = [nodes[1].id, nodes[3].id]
    requester = _requester(world)
    seen = set()
    for i in range(40):
        boa.env.evm.patch.prevrandao = keccak(b"enc" + i.to_bytes(4, "big"))
        req = world.request(requester, recipients=chosen, payload=b"\x00envelope")
        assert req[9] == keccak(eth_abi.encode(["uint256[]"], [chosen]))
        seen.add(req[8])
    assert seen == set(chosen)


def test_recipients_that_left_are_skipped(world):
    a, b = world.register(), world.register()
    with boa.env.prank(a.operator):
        world.core.exit(a.id)
    requester = _requester(world)
    for i in range(10):
        boa.env.evm.patch.prevrandao = keccak(b"x" + bytes([i]))
        assert world.request(requester, recipients=[a.id, b.id])[8] == b.id
    with boa.env.prank(requester), boa.reverts("request: no eligible node"):
        world.core.request(K.MODEL, b"x", K.ZERO, 0, K.now() + 600, b"", [a.id], value=K.MODEL_FEE)


def test_node_serving_other_model_not_assigned(world):
    other = keccak(b"other-model")
    world.core.setModel(other, 0, False, True)
    only_other = world.register(models=[other])
    both = world.register(models=[K.MODEL, other])
    requester = _requester(world)
    for i in range(10):
        boa.env.evm.patch.prevrandao = keccak(b"m" + bytes([i]))
        assert world.request(requester)[8] == both.id
    assert {world.request(requester, model=other, fee=0)[8] for _ in range(1)} <= {only_other.id, both.id}
