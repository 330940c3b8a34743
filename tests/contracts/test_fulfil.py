"""Fulfilment: the attested-key check, replay protection, batches, callbacks and error results."""
import boa
import eth_abi
import pytest
from eth_utils import keccak

import cloister_kit as K

SUPPORT = K.ROOT / "tests" / "contracts" / "support"
SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


def test_fulfil_records_result_and_emits_output(setup):
    world, node, requester = setup
    req = world.request(requester)
    res = world.sign_result(node, req, output=b"positive")
    with boa.env.prank(boa.env.generate_address()):  # anyone may relay a signed result
        world.core.fulfil(req, res)
    event = world.core.get_logs()[-1]
    assert type(event).__name__ == "Fulfilled"
    assert event.id == req[0] and event.node == node.id and event.output == b"positive" and event.callbackOk
    assert event.paramsVersion == 1  # the deployment's parameters, which the result keeps
    ful = (res[2], K.block_number(), K.now(), 1, 0, res[0], 1)
    typ = "((bytes32,address,bytes32,bytes32,address,uint256,uint256,uint256,uint256,bytes32),(bytes32,uint256,uint256,uint256,uint256,uint256,uint256))"
    assert world.core.requests(req[0]) == keccak(eth_abi.encode([typ], [(req, ful)]))


def test_fulfilled_once_only(setup):
    world, node, requester = setup
    req = world.request(requester)
    res = world.sign_result(node, req)
    world.fulfil(req, res)
    with boa.reverts("fulfil: request not pending"):
        world.fulfil(req, res)


def test_wrong_fields_do_not_match_the_book(setup):
    world, node, requester = setup
    req = world.request(requester)
    forged = list(req)
    forged[6] = req[6] * 2  # claims a larger fee
    with boa.reverts("fulfil: request not pending"):
        world.fulfil(tuple(forged), world.sign_result(node, tuple(forged)))


def test_deadline_passed(setup):
    world, node, requester = setup
    req = world.request(requester, deadline=K.now() + 120)
    boa.env.time_travel(seconds=121)
    with boa.reverts("fulfil: deadline passed"):
        world.fulfil(req)


def test_only_the_assigned_nodes_key(setup):
    world, node, requester = setup
    other = world.register()
    for _ in range(20):
        req = world.request(requester)
        if req[8] == node.id:
            break
    with boa.reverts("result: not the node's attested key"):
        world.fulfil(req, world.sign_result(other, req))
    with boa.reverts("result: not the node's attested key"):
        world.fulfil(req, world.sign_result(node, req, key=K.EnclaveKey(keccak(b"stranger"))))
    with boa.reverts("result: not the node's attested key"):
        world.fulfil(req, world.sign_result(node, req, digest=keccak(b"another quote")))


def test_expired_attestation_cannot_sign(setup):
    world, node, requester = setup
    quote, expiry, proof = world.attestation(node.key, node.operator, expiry=K.now() + 300)
    with boa.env.prank(node.operator):
        world.core.reattest(node.id, node.key.public_key, quote, K.VERSION, expiry, proof)
    node.attestation_digest, node.expiry = keccak(quote), expiry
    req = world.request(requester, deadline=K.now() + 3600)
    boa.env.time_travel(seconds=300)
    with boa.reverts("result: attestation expired"):
        world.fulfil(req)


def test_signature_malleability_and_bad_v(setup):
    world, node, requester = setup
    req = world.request(requester)
    status, output, commitment, digest, expiry, v, r, s = world.sign_result(node, req)
    high_s = (SECP256K1_N - int.from_bytes(s, "big")).to_bytes(32, "big")
    with boa.reverts("sig: high s"):
        world.fulfil(req, (status, output, commitment, digest, expiry, 55 - v, r, high_s))
    with boa.reverts("sig: bad v"):
        world.fulfil(req, (status, output, commitment, digest, expiry, v - 27, r, s))


def test_no_replay_across_requests_contracts_or_chains(setup):
    world, node, requester = setup
    first, second = world.request(requester), world.request(requester)
    res = world.sign_result(node, first)
    with boa.reverts("result: commitment mismatch"):
        world.fulfil(second, res)
    # same commitment rebuilt for the second id, but signed for the first id
    res2 = world.sign_result(node, second, request_id=first[0], commitment=K.plaintext_commitment(second[0], 0, b"positive"))
    with boa.reverts("result: not the node's attested key"):
        world.fulfil(second, res2)
    chain = boa.env.evm.patch.chain_id
    boa.env.evm.patch.chain_id = chain + 1
    signed_elsewhere = world.sign_result(node, first)
    boa.env.evm.patch.chain_id = chain
    with boa.reverts("result: not the node's attested key"):
        world.fulfil(first, signed_elsewhere)


def test_signature_for_another_contract_is_rejected(setup):
    world, node, requester = setup
    req = world.request(requester)
    status, output, commitment, digest, expiry = 0, b"positive", K.plaintext_commitment(req[0], 0, b"positive"), node.attestation_digest, node.expiry
    domain = K.result_domain(world.arbiter.address, K.chain_id())
    message = K.result_message(req[0], node.id, K.ROLE_EXECUTE, req[2], req[3], status, output, commitment, digest)
    v, r, s = K.sign_typed(node.key.secret, domain, "Result", K.RESULT_TYPES, message)
    with boa.reverts("result: not the node's attested key"):
        world.fulfil(req, (status, output, commitment, digest, expiry, v, r, s))


def test_domain_separator_matches_eth_account(world):
    from eth_account.messages import encode_typed_data
    data = {"types": {"EIP712Domain": K.DOMAIN_TYPES, "Result": K.RESULT_TYPES}, "primaryType": "Result",
            "domain": {"name": "Cloister", "version": "2", "chainId": K.chain_id(), "verifyingContract": world.core.address},
            "message": {k["name"]: 0 if k["type"].startswith("uint") else b"\x00" * 32 for k in K.RESULT_TYPES}}
    assert world.core.domainSeparator() == encode_typed_data(full_message=data).header


def test_plaintext_commitment_is_checked_and_status_bounded(setup):
    world, node, requester = setup
    req = world.request(requester)
    with boa.reverts("result: commitment mismatch"):
        world.fulfil(req, world.sign_result(node, req, output=b"positive", commitment=K.plaintext_commitment(req[0], 0, b"negative")))
    signed = world.sign_result(node, req, status=255, commitment=b"\x01" * 32)
    with boa.reverts("result: bad status"):
        world.fulfil(req, (256,) + signed[1:])


def test_encrypted_request_commitment_is_opaque(setup):
    world, node, requester = setup
    req = world.request(requester, recipients=[node.id], payload=b"\x01sealed-envelope", output_key=b"\x04" + b"\x11" * 64)
    salted = keccak(b"salt-from-data-key" + b"\x00" + b"positive")
    world.fulfil(req, world.sign_result(node, req, output=b"ciphertext-for-requester", commitment=salted))
    assert world.core.get_logs()[-1].outputCommitment == salted
    with boa.reverts("result: zero commitment"):
        req2 = world.request(requester, recipients=[node.id])
        world.fulfil(req2, world.sign_result(node, req2, commitment=b"\x00" * 32))


def test_batch_reverts_on_an_invalid_item_and_skips_a_done_one(setup):
    world, node, requester = setup
    reqs = [world.request(requester) for _ in range(4)]
    results = [world.sign_result(node, r) for r in reqs]
    with boa.reverts("fulfil: length mismatch"):
        world.core.fulfilBatch(reqs, results[:3])
    bad = results[:3] + [world.sign_result(node, reqs[3], key=K.EnclaveKey(keccak(b"x")))]
    with boa.reverts("result: not the node's attested key"):
        world.core.fulfilBatch(reqs, bad)
    world.core.fulfilBatch(reqs, results)
    assert [type(e).__name__ for e in world.core.get_logs()] == ["Fulfilled"] * 4
    world.core.fulfilBatch(reqs[:1], results[:1])  # already done: skipped, nothing happens twice
    assert [type(e).__name__ for e in world.core.get_logs()] == []


def test_consumer_stores_answer_and_error(setup):
    world, node, requester = setup
    consumer = K.factory("examples/ZeroShotClassifier.vy").deploy(world.core.address, K.MODEL)
    fee = consumer.fee()
    with boa.env.prank(requester), boa.reverts("ask: pay at least fee()"):
        consumer.ask(b"text: great movie | labels: positive, negative", 600, value=fee - 1)
    with boa.env.prank(requester):
        rid = consumer.ask(b"text: great movie | labels: positive, negative", 600, value=fee)
    req = (rid, consumer.address, K.MODEL, keccak(b"text: great movie | labels: positive, negative"), consumer.address,
           300000, fee, K.now() + 600, node.id, K.ZERO32)
    world.fulfil(req, world.sign_result(node, req, output=b"positive"))
    answer = consumer.answers(rid)
    assert answer.answered and answer.status == 0 and answer.label == b"positive" and answer.asker == requester
    with boa.env.prank(requester):
        rid2 = consumer.ask(b"\xff\xfe", 600, value=fee)
    req2 = (rid2, consumer.address, K.MODEL, keccak(b"\xff\xfe"), consumer.address, 300000, fee, K.now() + 600, node.id, K.ZERO32)
    world.fulfil(req2, world.sign_result(node, req2, status=3, output=b"invalid UTF-8 input"))
    answer = consumer.answers(rid2)
    assert answer.answered and answer.status == 3 and answer.error == b"invalid UTF-8 input" and answer.label == b""
    with boa.env.prank(requester), boa.reverts("cloister: caller is not the core"):
        consumer.cloisterCallback(rid2, 0, b"forged")


def test_reverting_callback_is_recorded_not_fatal(setup):
    world, node, requester = setup
    reverter = boa.load(str(SUPPORT / "Reverter.vy"))
    req = world.request(requester, callback=reverter.address, callback_gas=50000)
    ful = world.fulfil(req)
    event = world.core.get_logs()[-1]
    assert type(event).__name__ == "Fulfilled" and event.callbackOk is False
    K.mine(151, seconds=3600)
    world.core.settle(req, ful)
    assert world.core.credits(node.operator) > 0


def test_callback_gets_exactly_its_cap_and_cannot_starve(setup):
    world, node, requester = setup
    burner = boa.load(str(SUPPORT / "GasBurner.vy"))
    req = world.request(requester, callback=burner.address, callback_gas=100000)
    res = world.sign_result(node, req)
    with boa.reverts("result: gas below callback cap"):
        world.core.fulfil(req, res, gas=110000)
    world.core.fulfil(req, res, gas=400000)
    assert world.core.get_logs()[-1].callbackOk is True
    assert 99000 < burner.received() <= 100000
    burning = world.request(requester, callback=burner.address, callback_gas=100000)
    world.core.fulfil(burning, world.sign_result(node, burning, status=1, output=b"err"), gas=400000)
    assert world.core.get_logs()[-1].callbackOk is False  # the callee ran out of its own gas only


def test_callback_cannot_reenter_to_fulfil_or_settle_twice(setup):
    world, node, requester = setup
    attacker = boa.load(str(SUPPORT / "Reentrant.vy"))
    req = world.request(requester, callback=attacker.address, callback_gas=300000)
    res = world.sign_result(node, req)
    attacker.prime(world.core.address, world.core.fulfil.prepare_calldata(req, res))
    world.fulfil(req, res)
    assert attacker.calls() == 1 and attacker.reentryOk() is False
    assert [type(e).__name__ for e in world.core.get_logs()].count("Fulfilled") == 1
    assert world.accounted_ok()
