"""Node registration, REPORTDATA binding, the committee verifier, rotation, stake and exit."""
import boa
import eth_abi
import pytest
from eth_account import Account
from eth_utils import keccak

import cloister_kit as K


def _register_raw(world, key, quote, expiry, proof, stake=K.ETHER, models=None, version=K.VERSION, public_key=None,
                  operator=None):
    operator = operator or world.spare_operator
    world.fund(operator, stake + K.ETHER)
    with boa.env.prank(operator):
        return world.core.register(public_key or key.public_key, models or [K.MODEL], quote, version, expiry, proof, value=stake)


def test_register_stores_node_and_key_hash(world):
    node = world.register(stake=2 * K.ETHER)
    info = world.core.nodes(node.id)
    assert info.operator == node.operator
    assert info.signer == node.key.address
    assert info.publicKey == node.key.public_key
    assert info.stake == 2 * K.ETHER and info.status == 1
    assert info.attestationDigest == node.attestation_digest
    assert info.workloadId == K.workload_id(K.TDX_QUOTE)
    expected = keccak(eth_abi.encode(["address", "bytes32", "uint256"], [node.key.address, node.attestation_digest, node.expiry]))
    assert world.core.nodeKey(node.id) == expected
    assert world.core.totalStake() == 2 * K.ETHER
    assert world.accounted_ok()


def test_register_reverts_below_min_stake(world):
    key = world.new_key()
    quote, expiry, proof = world.attestation(key)
    with boa.reverts("registry: stake below minimum"):
        _register_raw(world, key, quote, expiry, proof, stake=K.ETHER - 1)


def test_register_reverts_unknown_model_and_empty_models(world):
    key = world.new_key()
    quote, expiry, proof = world.attestation(key)
    with boa.reverts("registry: unknown model"):
        _register_raw(world, key, quote, expiry, proof, models=[keccak(b"other")])
    operator = world.spare_operator
    world.fund(operator)
    with boa.env.prank(operator), boa.reverts("registry: no models"):
        world.core.register(key.public_key, [], quote, K.VERSION, expiry, proof, value=K.ETHER)


def test_register_reverts_bad_public_key_length(world):
    key = world.new_key()
    quote, expiry, proof = world.attestation(key)
    with boa.reverts("admission: public key must be 64 bytes"):
        _register_raw(world, key, quote, expiry, proof, public_key=key.public_key[:63])


def test_reportdata_must_bind_signer_chain_registry_operator_version_expiry(world):
    key, other = world.new_key(), world.new_key()
    expiry = K.now() + 86400
    op = world.spare_operator
    cases = {
        "other signer": K.report_data(other.address, K.VERSION, expiry, world.core.address, K.chain_id(), op),
        "other chain": K.report_data(key.address, K.VERSION, expiry, world.core.address, K.chain_id() + 1, op),
        "other registry": K.report_data(key.address, K.VERSION, expiry, world.admission.address, K.chain_id(), op),
        "other operator": K.report_data(key.address, K.VERSION, expiry, world.core.address, K.chain_id(), K.ZERO),
        "other version": K.report_data(key.address, keccak(b"v2"), expiry, world.core.address, K.chain_id(), op),
        "other expiry": K.report_data(key.address, K.VERSION, expiry + 1, world.core.address, K.chain_id(), op),
        "dirty padding": K.report_data(key.address, K.VERSION, expiry, world.core.address, K.chain_id(), op)[:63] + b"\x01",
    }
    for name, rd in cases.items():
        quote = K.quote_with(rd)
        proof = world.committee_proof(quote, expiry + 10)
        with boa.reverts("admission: REPORTDATA does not bind signer"):
            _register_raw(world, key, quote, expiry, proof)


def test_workload_must_be_allowed(world):
    key = world.new_key()
    quote, expiry, proof = world.attestation(key)
    world.admission.setWorkload(K.workload_id(K.TDX_QUOTE), False)
    with boa.reverts("admission: workload not allowed"):
        _register_raw(world, key, quote, expiry, proof)


def test_sgx_quote_uses_mrenclave_workload_and_offset_368(world):
    key = world.new_key()
    quote, expiry, proof = world.attestation(key, base=K.SGX_QUOTE)
    with boa.reverts("admission: workload not allowed"):
        _register_raw(world, key, quote, expiry, proof)
    world.admission.setWorkload(K.workload_id(K.SGX_QUOTE), True)
    node_id = _register_raw(world, key, quote, expiry, proof)
    assert world.core.nodes(node_id).workloadId == K.workload_id(K.SGX_QUOTE)


def test_unsupported_and_short_quotes_rejected(world):
    key = world.new_key()
    quote, expiry, proof = world.attestation(key)
    bad = bytearray(quote)
    bad[0] = 5
    with boa.reverts("quote: unsupported type"):
        _register_raw(world, key, bytes(bad), expiry, proof)
    with boa.reverts("quote: too short"):
        _register_raw(world, key, quote[:631], expiry, proof)


def test_expiry_bounds(world):
    key = world.new_key()
    quote, expiry, proof = world.attestation(key, expiry=K.now())
    with boa.reverts("admission: attestation expired"):
        _register_raw(world, key, quote, expiry, proof)
    quote, expiry, proof = world.attestation(key, expiry=K.now() + 31 * 86400)
    with boa.reverts("admission: expiry too far"):
        _register_raw(world, key, quote, expiry, proof)


def test_committee_threshold_membership_order_and_digest(world):
    key = world.new_key()
    quote, expiry, _ = world.attestation(key)
    one = world.committee_proof(quote, expiry, signers=world.members[:1])
    with boa.reverts("committee: not enough signatures"):
        _register_raw(world, key, quote, expiry, one)
    outsider = keccak(b"not a member")
    with boa.reverts("committee: not a member"):
        _register_raw(world, key, quote, expiry, world.committee_proof(quote, expiry, signers=[world.members[0], outsider]))
    # the same member twice is caught by the strictly ascending order
    valid_until, sigs = eth_abi.decode(["uint64", "bytes"], world.committee_proof(quote, expiry, signers=world.members[:1]))
    doubled = eth_abi.encode(["uint64", "bytes"], [valid_until, sigs + sigs])
    with boa.reverts("committee: signers not ascending"):
        _register_raw(world, key, quote, expiry, doubled)
    # signatures over another quote do not carry over
    other_quote = K.quote_with(quote[568:632], base=bytes(quote[:700]) + b"\x01" + quote[701:])
    with boa.reverts("committee: not a member"):
        _register_raw(world, key, other_quote, expiry, world.committee_proof(quote, expiry))
    with boa.reverts("committee: malformed signatures"):
        _register_raw(world, key, quote, expiry, eth_abi.encode(["uint64", "bytes"], [expiry, sigs[:64]]))


def test_committee_validity_caps_attestation_expiry(world):
    key = world.new_key()
    quote, expiry, _ = world.attestation(key)
    node_id = _register_raw(world, key, quote, expiry, world.committee_proof(quote, expiry - 100))
    assert world.core.nodes(node_id).attestationExpiry == expiry - 100
    key2 = world.new_key()
    quote2, expiry2, _ = world.attestation(key2)
    with boa.reverts("admission: verifier rejected quote"):
        _register_raw(world, key2, quote2, expiry2, world.committee_proof(quote2, K.now()))


def test_committee_acceptance_digest_matches_eth_account(world):
    from eth_account.messages import encode_typed_data
    data = {"types": {"EIP712Domain": K.DOMAIN_TYPES, "Acceptance": K.ACCEPTANCE_TYPES}, "primaryType": "Acceptance",
            "domain": {"name": "CloisterAttestationCommittee", "version": "1", "chainId": K.chain_id(), "verifyingContract": world.committee.address},
            "message": {"quoteDigest": b"\x01" * 32, "workloadId": b"\x02" * 32, "reportDataHash": b"\x03" * 32, "validUntil": 12345}}
    signable = encode_typed_data(full_message=data)
    expected = keccak(b"\x19\x01" + signable.header + signable.body)
    assert world.committee.acceptanceDigest(b"\x01" * 32, b"\x02" * 32, b"\x03" * 32, 12345) == expected


def test_committee_membership_admin(world):
    members = [Account.from_key(keccak(b"m" + bytes([i]))).address for i in range(3)]
    with boa.env.prank(boa.env.generate_address()), boa.reverts("owned: not owner"):
        world.committee.setCommittee(members, 2)
    with boa.reverts("committee: bad threshold"):
        world.committee.setCommittee(members, 4)
    with boa.reverts("committee: duplicate member"):
        world.committee.setCommittee([members[0], members[0]], 1)
    world.committee.setCommittee(members, 3)
    assert world.committee.threshold() == 3
    assert not world.committee.isMember(Account.from_key(world.members[0]).address)


def test_rotation_keeps_stake_and_retires_old_key(world):
    node = world.register()
    new_key = world.new_key()
    quote, expiry, proof = world.attestation(new_key, node.operator)
    with boa.env.prank(boa.env.generate_address()), boa.reverts("registry: not the node operator"):
        world.core.reattest(node.id, new_key.public_key, quote, K.VERSION, expiry, proof)
    with boa.env.prank(node.operator):
        world.core.reattest(node.id, new_key.public_key, quote, K.VERSION, expiry, proof)
    info = world.core.nodes(node.id)
    assert info.signer == new_key.address and info.stake == K.ETHER and info.status == 1
    requester = boa.env.generate_address()
    world.fund(requester)
    req = world.request(requester)
    with boa.reverts("result: not the node's attested key"):
        world.fulfil(req, world.sign_result(node, req))
    node.key, node.attestation_digest, node.expiry = new_key, keccak(quote), expiry
    world.fulfil(req)


def test_renewal_with_same_key_extends_expiry(world):
    node = world.register()
    quote, expiry, proof = world.attestation(node.key, node.operator, expiry=K.now() + 20 * 86400)
    with boa.env.prank(node.operator):
        world.core.reattest(node.id, node.key.public_key, quote, K.VERSION, expiry, proof)
    assert world.core.nodes(node.id).attestationExpiry == expiry


def test_add_stake_and_exit_unbonding(world):
    node = world.register()
    with boa.env.prank(node.operator):
        world.core.addStake(node.id, value=K.ETHER)
    assert world.core.nodes(node.id).stake == 2 * K.ETHER
    with boa.env.prank(node.operator), boa.reverts("registry: not exiting"):
        world.core.withdrawStake(node.id)
    with boa.env.prank(node.operator):
        world.core.exit(node.id)
    with boa.env.prank(node.operator), boa.reverts("registry: already exiting"):
        world.core.exit(node.id)
    with boa.env.prank(node.operator), boa.reverts("registry: node not active"):
        world.core.addStake(node.id, value=1)
    requester = boa.env.generate_address()
    world.fund(requester)
    with boa.env.prank(requester), boa.reverts("request: no eligible node"):
        world.core.request(K.MODEL, b"x", K.ZERO, 0, K.now() + 600, b"", [], value=K.MODEL_FEE)
    with boa.env.prank(node.operator), boa.reverts("registry: still unbonding"):
        world.core.withdrawStake(node.id)
    boa.env.time_travel(seconds=3 * 86400)
    with boa.env.prank(node.operator):
        world.core.withdrawStake(node.id)
        world.core.withdraw()
    assert world.core.totalStake() == 0 and world.accounted_ok()
    with boa.env.prank(node.operator), boa.reverts("registry: no stake"):
        world.core.withdrawStake(node.id)


def test_owner_only_registry_admin(world):
    stranger = boa.env.generate_address()
    for call in (lambda: world.core.setModel(K.MODEL, 1, True, True),
                 lambda: world.admission.setWorkload(b"\x01" * 32, True),
                 lambda: world.admission.setAttestationVerifier(stranger)):
        with boa.env.prank(stranger), boa.reverts("owned: not owner"):
            call()
    with boa.reverts("registry: zero model id"):
        world.core.setModel(K.ZERO32, 1, True, True)
    with boa.reverts("admission: zero verifier"):
        world.admission.setAttestationVerifier(K.ZERO)


def test_full_model_admits_a_better_staked_node_and_refuses_a_smaller_one(world):
    """The first 64 nodes cannot keep a better-staked newcomer out: it takes the smallest node's slot."""
    nodes = [world.register(stake=K.ETHER + i * 10**15) for i in range(64)]
    with boa.reverts("registry: model full (stake below its smallest node)"):
        world.register(stake=K.ETHER)
    newcomer = world.register(stake=2 * K.ETHER)
    taken = [e for e in world.core.get_logs() if type(e).__name__ == "SlotTaken"]
    assert taken and taken[-1].node == newcomer.id and taken[-1].evicted == nodes[0].id
    requester = boa.env.generate_address()
    world.fund(requester, 100 * K.ETHER)
    assigned = {world.request(requester)[8] for _ in range(200)}
    assert nodes[0].id not in assigned and newcomer.id in assigned


def test_a_ninth_model_does_not_fit_and_a_repeated_model_weighs_once(world):
    """A node lists at most 8 models (the DynArray's bound, raised from 4 with the embedded LLM): a ninth is
    refused by the ABI decoder before anything is stored. A sybil listing one model eight times gains no
    draw weight from it: the model's draw history holds one slot for the node, at its stake."""
    models = [keccak(f"model-{index}".encode()) for index in range(9)]
    for model in models:
        world.core.setModel(model, 1, True, True)
    eight = world.register(models=models[:8])
    assert world.core.nodes(eight.id).status == 1
    key = world.new_key()
    quote, expiry, proof = world.attestation(key)
    count = world.core.nodeCount()
    with boa.reverts():
        _register_raw(world, key, quote, expiry, proof, models=models)
    assert world.core.nodeCount() == count

    before = K.decode_words(world.core.drawWords(K.MODEL), K.block_number() // 256 + 1)
    repeated = world.register(stake=3 * K.ETHER, models=[K.MODEL] * 8)
    after = K.decode_words(world.core.drawWords(K.MODEL), K.block_number() // 256 + 1)
    assert [slot for slot in after if slot[0] == repeated.id] == [(repeated.id, 3 * K.ETHER // 10**15)]
    assert len([slot for slot in after if slot[0] != 0]) == len([slot for slot in before if slot[0] != 0]) + 1
