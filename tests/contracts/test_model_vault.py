"""ModelVault.vy (issue 18): sealed models, model keys only attested enclaves hold, privacy budgets.

Every rule of docs/protocol.md's "Model vault" and, for each, the attack that would break it, played
against the real contracts (core, admission, committee, arbiter) with the kit's simulated quotes and
committee proofs. Each attack test asserts what must hold afterwards: the attacker gains nothing.
"""
import boa
import pytest
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils import keccak

import cloister_kit as K
import vault_kit as V

FULFILLED, VERIFIED, DISPUTED, UPHELD, OVERTURNED = 1, 2, 3, 4, 5


@pytest.fixture
def kit(world):
    return V.Vault(world)


@pytest.fixture
def served(kit):
    """A private (Laplace) model with one enrolled enclave that holds the key and serves it as a node."""
    model = kit.register_model()
    first = kit.enclave()
    kit.enroll(model, first)
    kit.publish_by_owner(model, first)
    node = kit.register_node(model, first)
    return kit, model, first, node


def funded(world, amount=10 * K.ETHER):
    account = boa.env.generate_address()
    world.fund(account, amount)
    return account


# ---- identifiers and signatures, cross-checked ---------------------------------------------------------
def test_model_id_commits_to_the_owner_and_matches_an_independent_encoding(kit):
    args = (keccak(b"p"), keccak(b"s"), V.ENGINE, "embed")
    assert kit.vault.modelId(kit.owner, *args) == V.model_id(kit.owner, *args)
    other = funded(kit.world)
    assert kit.vault.modelId(other, *args) != kit.vault.modelId(kit.owner, *args)


def test_key_wrap_digest_is_eip712_as_eth_account_computes_it(kit):
    model, recipient, wrapped = keccak(b"m"), K.EnclaveKey(keccak(b"r")).address, V.wrap_bytes(b"w")
    signable = encode_typed_data(full_message=V.key_wrap_message(kit.address, K.chain_id(), model, 7, recipient, wrapped))
    expected = keccak(b"\x19" + signable.version + signable.header + signable.body)
    assert kit.vault.keyWrapDigest(model, 7, recipient, keccak(wrapped)) == expected
    assert signable.header == kit.vault.domainSeparator()


def test_admit_for_is_admit_for_the_named_registry(kit):
    """Admission.admitFor(core, ...) returns what the core's own admit call returns; another registry fails."""
    world = kit.world
    enclave = kit.enclave()
    quote, proof = kit.attestation(enclave)
    max_validity = world.core.params().maxAttestationValidity
    got = world.admission.admitFor(world.core.address, enclave.key.public_key, quote, enclave.operator, K.VERSION,
                                   enclave.expiry, max_validity, proof)
    with boa.env.prank(world.core.address):
        assert world.admission.admit(enclave.key.public_key, quote, enclave.operator, K.VERSION, enclave.expiry,
                                     max_validity, proof) == got
    assert got[0] == enclave.signer and got[1] == keccak(quote) and got[2] == K.workload_id(K.TDX_QUOTE)
    with boa.reverts("admission: REPORTDATA does not bind signer"):
        world.admission.admitFor(kit.address, enclave.key.public_key, quote, enclave.operator, K.VERSION,
                                 enclave.expiry, max_validity, proof)


# ---- registration -----------------------------------------------------------------------------------
def test_register_model_records_the_entry_and_starts_at_epoch_one(kit):
    model = kit.register_model(workloads=[K.workload_id(K.TDX_QUOTE)], enable=False)
    event = [e for e in kit.vault.get_logs() if type(e).__name__ == "ModelRegistered"][0]
    assert event.model == model and event.owner == kit.owner and event.location == "/models/minilm.sealed"
    entry = kit.vault.models(model)
    assert entry.owner == kit.owner and entry.epoch == 1 and entry.engine == V.ENGINE and entry.task == "similarity"
    assert entry.plaintextHash == keccak(b"plainmodel") and entry.sealedHash == keccak(b"sealedmodel")
    assert entry.location == "/models/minilm.sealed" and list(entry.workloads) == [K.workload_id(K.TDX_QUOTE)]
    assert (entry.mechanism, entry.deltaExponent, entry.epsilonMicros) == (V.LAPLACE, 0, V.EPSILON)
    assert (entry.sensEmbedding, entry.sensSimilarity, entry.sensClassification) == (0, 2_000_000, 0)
    assert (entry.budgetMicros, entry.period, entry.requestersListed) == (V.BUDGET, V.PERIOD, False)
    with boa.env.prank(kit.owner), boa.reverts("vault: model already registered"):
        kit.vault.registerModel(keccak(b"plainmodel"), keccak(b"sealedmodel"), V.ENGINE, "similarity", "/elsewhere", [],
                                *V.policy())


def test_relayer_copying_a_pending_registration_gets_its_own_id(kit):
    """The relayer front-runs the owner's registerModel with the same arguments: its id is its own."""
    relayer = funded(kit.world)
    copied = kit.register_model(owner=relayer, enable=False)
    mine = kit.register_model()  # the owner's transaction, mined after the copy, still succeeds
    assert copied != mine
    assert kit.vault.models(mine).owner == kit.owner and kit.vault.models(copied).owner == relayer
    with boa.env.prank(relayer):  # and the relayer controls nothing of the owner's entry
        for call in (lambda: kit.vault.rotate(mine, keccak(b"x"), "/x"), lambda: kit.vault.setWorkloads(mine, []),
                     lambda: kit.vault.setBudget(mine, 10**9, 1, False),
                     lambda: kit.vault.setRequester(mine, relayer, True)):
            with boa.reverts("vault: not the model owner"):
                call()
    with boa.reverts("vault: unknown model"):
        kit.vault.rotate(keccak(b"never registered"), keccak(b"x"), "/x")


@pytest.mark.parametrize("changes, reason", [
    ({"mechanism": 3}, "vault: unknown mechanism"),
    ({"epsilon": 999}, "vault: epsilon out of range"),
    ({"epsilon": 50_000_001}, "vault: epsilon out of range"),
    ({"mechanism": V.GAUSSIAN, "delta": 0}, "vault: delta exponent out of range"),
    ({"mechanism": V.GAUSSIAN, "delta": 41}, "vault: delta exponent out of range"),
    ({"delta": 5}, "vault: delta exponent only for gaussian"),
    ({"similarity": 2**27 + 1}, "vault: sensitivity out of range"),
    ({"embedding": 2**27 + 1}, "vault: sensitivity out of range"),
    ({"classification": 2**27 + 1}, "vault: sensitivity out of range"),
    ({"similarity": 0}, "vault: no output released"),
    ({"budget": V.EPSILON - 1}, "vault: budget below one request's epsilon"),
    ({"period": 0}, "vault: zero budget period"),
    ({"mechanism": 0}, "vault: policy fields without a mechanism"),
])
def test_policy_validation_refuses_out_of_range_values(kit, changes, reason):
    with boa.env.prank(kit.owner), boa.reverts(reason):
        kit.vault.registerModel(keccak(b"p"), keccak(b"s"), V.ENGINE, "similarity", "/m", [], *V.policy(**changes))


@pytest.mark.parametrize("changes", [
    {"epsilon": 1000, "budget": 1000, "period": 1},
    {"epsilon": 50_000_000, "budget": 50_000_000},
    {"mechanism": V.GAUSSIAN, "delta": 1},
    {"mechanism": V.GAUSSIAN, "delta": 40, "embedding": 2**27, "similarity": 1, "classification": 2**27},
    {"mechanism": 0, "epsilon": 0, "similarity": 0, "budget": 0, "period": 0},
])
def test_policy_validation_accepts_the_bounds(kit, changes):
    with boa.env.prank(kit.owner):
        kit.vault.registerModel(keccak(b"p"), keccak(b"s"), V.ENGINE, "similarity", "/m", [], *V.policy(**changes))


@pytest.mark.parametrize("args, reason", [
    ((K.ZERO32, keccak(b"s"), V.ENGINE, "embed", "/m"), "vault: zero hash"),
    ((keccak(b"p"), K.ZERO32, V.ENGINE, "embed", "/m"), "vault: zero hash"),
    ((keccak(b"p"), keccak(b"s"), "", "embed", "/m"), "vault: empty engine or task"),
    ((keccak(b"p"), keccak(b"s"), V.ENGINE, "", "/m"), "vault: empty engine or task"),
    ((keccak(b"p"), keccak(b"s"), V.ENGINE, "embed", ""), "vault: empty location"),
])
def test_registration_needs_hashes_engine_task_and_location(kit, args, reason):
    with boa.env.prank(kit.owner), boa.reverts(reason):
        kit.vault.registerModel(*args, [], *V.policy())


def test_owner_cannot_change_the_privacy_policy(kit):
    """No function writes the mechanism, δ, ε or a sensitivity after registration: the ABI has none."""
    writers = {f["name"]: [i["name"] for i in f["inputs"]] for f in kit.vault.abi
               if f.get("type") == "function" and f.get("stateMutability") in ("nonpayable", "payable")}
    assert set(writers) == {"registerModel", "setWorkloads", "setBudget", "setRequester", "rotate", "enroll",
                            "publishKey", "requestPrivate", "claimRefund"}
    policy_inputs = {"mechanism", "delta_exponent", "epsilon_micros", "sens_embedding", "sens_similarity",
                     "sens_classification"}
    assert [name for name, inputs in writers.items() if policy_inputs & set(inputs)] == ["registerModel"]
    model = kit.register_model()
    before = kit.vault.models(model)
    with boa.env.prank(kit.owner):
        kit.vault.setBudget(model, 10 * V.BUDGET, 3600, True)
        kit.vault.setWorkloads(model, [K.workload_id(K.SGX_QUOTE)])
        kit.vault.rotate(model, keccak(b"sealed 2"), "/m2")
    after = kit.vault.models(model)
    for name in ("mechanism", "deltaExponent", "epsilonMicros", "sensEmbedding", "sensSimilarity", "sensClassification",
                 "plaintextHash", "engine", "task", "owner"):
        assert getattr(after, name) == getattr(before, name)


def test_set_budget_is_bounded_by_the_policy(kit):
    model = kit.register_model()
    with boa.env.prank(kit.owner):
        with boa.reverts("vault: budget below one request's epsilon"):
            kit.vault.setBudget(model, V.EPSILON - 1, V.PERIOD, False)
        with boa.reverts("vault: zero budget period"):
            kit.vault.setBudget(model, V.BUDGET, 0, False)
        kit.vault.setBudget(model, V.EPSILON, 60, True)
    event = kit.vault.get_logs()[-1]
    assert type(event).__name__ == "BudgetSet" and (event.budgetMicros, event.period, event.requestersListed) == (V.EPSILON, 60, True)


# ---- enrollment -----------------------------------------------------------------------------------------
def test_enroll_records_the_attested_key_with_the_admission_checks(kit):
    model = kit.register_model()
    enclave = kit.enclave()
    kit.enroll(model, enclave)
    event = kit.vault.get_logs()[-1]
    assert type(event).__name__ == "KeyRequested" and event.signer == enclave.signer and event.epoch == 1
    assert event.publicKey == enclave.key.public_key and event.expiry == enclave.expiry
    e = kit.vault.enrollments(model, enclave.signer)
    assert e.publicKey == enclave.key.public_key and e.workload == K.workload_id(K.TDX_QUOTE) and e.expiry == enclave.expiry
    # re-enrolling the same signer (a renewed attestation) updates the expiry
    renewed = V.Enclave(enclave.key, enclave.operator, enclave.base, enclave.expiry + 86400)
    kit.enroll(model, renewed)
    assert kit.vault.enrollments(model, enclave.signer).expiry == enclave.expiry + 86400
    # the core accepts the same quote and proof for the node's registration
    kit.register_node(model, renewed)


def test_enroll_applies_every_admission_check(kit):
    world = kit.world
    model = kit.register_model()
    enclave = kit.enclave()
    quote, proof = kit.attestation(enclave)
    with boa.reverts("vault: unknown model"):
        kit.vault.enroll(keccak(b"none"), enclave.key.public_key, quote, enclave.operator, K.VERSION, enclave.expiry, proof)
    with boa.reverts("admission: REPORTDATA does not bind signer"):  # another operator
        kit.vault.enroll(model, enclave.key.public_key, quote, K.ZERO, K.VERSION, enclave.expiry, proof)
    debug = bytearray(quote)
    debug[168] |= 1  # TDATTRIBUTES.DEBUG
    with boa.reverts("quote: debug TD"):
        kit.vault.enroll(model, enclave.key.public_key, bytes(debug), enclave.operator, K.VERSION, enclave.expiry, proof)
    with boa.reverts("committee: not enough signatures"):  # one committee signature of the two required
        kit.vault.enroll(model, enclave.key.public_key, quote, enclave.operator, K.VERSION, enclave.expiry,
                         world.committee_proof(quote, enclave.expiry + 86400, world.members[:1]))
    world.admission.setWorkload(K.workload_id(K.TDX_QUOTE), False)
    with boa.reverts("admission: workload not allowed"):
        kit.vault.enroll(model, enclave.key.public_key, quote, enclave.operator, K.VERSION, enclave.expiry, proof)
    world.admission.setWorkload(K.workload_id(K.TDX_QUOTE), True)
    with boa.env.prank(kit.owner):
        kit.vault.setWorkloads(model, [K.workload_id(K.SGX_QUOTE)])
    with boa.reverts("vault: workload not allowed for model"):
        kit.vault.enroll(model, enclave.key.public_key, quote, enclave.operator, K.VERSION, enclave.expiry, proof)
    kit.enroll(model, kit.enclave(base=K.SGX_QUOTE))  # the listed workload enrolls


def test_copier_of_a_public_quote_only_enrolls_the_enclave_that_made_it(kit):
    """The quote and proof are public (calldata of the node's registration). A copier enrolling them records
    the victim enclave's key; it cannot substitute its own key or operator, and gets no wrap itself."""
    model = kit.register_model()
    victim = kit.enclave()
    quote, proof = kit.attestation(victim)
    copier = funded(kit.world)
    copier_key = K.EnclaveKey(keccak(b"copier key"))
    with boa.env.prank(copier):
        with boa.reverts("admission: REPORTDATA does not bind signer"):
            kit.vault.enroll(model, copier_key.public_key, quote, victim.operator, K.VERSION, victim.expiry, proof)
        with boa.reverts("admission: REPORTDATA does not bind signer"):
            kit.vault.enroll(model, victim.key.public_key, quote, copier, K.VERSION, victim.expiry, proof)
        kit.vault.enroll(model, victim.key.public_key, quote, victim.operator, K.VERSION, victim.expiry, proof)
    assert kit.vault.enrollments(model, victim.signer).publicKey == victim.key.public_key
    assert kit.vault.enrollments(model, copier_key.address).expiry == 0
    assert kit.vault.enrollments(model, copier).expiry == 0
    wrapped = kit.publish_by_owner(model, victim)
    # the only wrap is to the victim's enclave key; nothing lets the copier be a recipient
    assert kit.vault.wrappedKey(model, 1, victim.signer) == wrapped and not kit.vault.holds(model, 1, copier)
    with boa.env.prank(kit.owner), boa.reverts("vault: recipient not enrolled"):
        kit.vault.publishKey(model, 1, copier, V.wrap_bytes(b"c"), K.ZERO, 0, K.ZERO32, K.ZERO32)


# ---- publishing wraps -------------------------------------------------------------------------------------
def test_owner_and_holders_publish_wraps(served):
    kit, model, first, _ = served
    assert kit.vault.holds(model, 1, first.signer)
    published = [e for e in kit.vault.get_logs() if type(e).__name__ == "KeyPublished"]
    second = kit.enclave(base=K.SGX_QUOTE)
    kit.enroll(model, second)
    relayer = funded(kit.world)
    wrapped = kit.publish_by_holder(model, first, second, sender=relayer)  # anyone may relay a holder's wrap
    event = kit.vault.get_logs()[-1]
    assert type(event).__name__ == "KeyPublished" and event.holder == first.signer and event.recipient == second.signer
    assert event.epoch == 1 and event.wrapped == wrapped and kit.vault.wrappedKey(model, 1, second.signer) == wrapped
    # the new holder re-wraps in turn
    third = kit.enclave()
    kit.enroll(model, third)
    kit.publish_by_holder(model, second, third)
    assert kit.vault.holds(model, 1, third.signer)
    assert kit.vault.wrappedKey(model, 1, kit.enclave().signer) == b""
    assert not published or published[0].holder == kit.owner


def test_non_holder_cannot_publish(served):
    kit, model, first, _ = served
    enrolled, recipient = kit.enclave(), kit.enclave()
    kit.enroll(model, enrolled)
    kit.enroll(model, recipient)
    with boa.reverts("vault: holder has no key at this epoch"):  # enrolled, but never got the key
        kit.publish_by_holder(model, enrolled, recipient)
    stranger = kit.enclave()
    with boa.reverts("vault: holder has no key at this epoch"):
        kit.publish_by_holder(model, stranger, recipient)
    # naming a real holder with someone else's signature
    wrapped = V.wrap_bytes(b"forged")
    forged = kit.sign_wrap(stranger, model, 1, recipient.signer, wrapped)
    with boa.reverts("vault: not the holder's signature"):
        kit.publish_by_holder(model, first, recipient, wrapped=wrapped, signature=forged)
    assert not kit.vault.holds(model, 1, recipient.signer)


@pytest.mark.parametrize("field", ["wrapped", "epoch", "recipient", "model", "domain"])
def test_signature_over_anything_else_is_refused(served, field):
    kit, model, first, _ = served
    recipient, other = kit.enclave(), kit.enclave()
    kit.enroll(model, recipient)
    kit.enroll(model, other)
    wrapped = V.wrap_bytes(b"good")
    signed = {"model": model, "epoch": 1, "recipient": recipient.signer, "wrapped": wrapped}
    if field == "wrapped":
        signed["wrapped"] = V.wrap_bytes(b"other blob")
    elif field == "epoch":
        signed["epoch"] = 2
    elif field == "recipient":
        signed["recipient"] = other.signer
    elif field == "model":
        signed["model"] = keccak(b"another model")
    if field == "domain":  # a KeyWrap for another vault (or chain)
        data = V.key_wrap_message(kit.world.core.address, K.chain_id(), model, 1, recipient.signer, wrapped)
        sig = Account.sign_message(encode_typed_data(full_message=data), first.key.secret)
        signature = (sig.v, sig.r.to_bytes(32, "big"), sig.s.to_bytes(32, "big"))
    else:
        signature = kit.sign_wrap(first, signed["model"], signed["epoch"], signed["recipient"], signed["wrapped"])
    with boa.reverts("vault: not the holder's signature"):
        kit.publish_by_holder(model, first, recipient, wrapped=wrapped, signature=signature)
    kit.publish_by_holder(model, first, recipient, wrapped=wrapped)  # the right signature is accepted
    # a malleable copy (s' = n - s) of a valid signature is refused too
    v, r, s = kit.sign_wrap(first, model, 1, other.signer, wrapped)
    n = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
    with boa.reverts("vault: high s"):
        kit.publish_by_holder(model, first, other, wrapped=wrapped,
                              signature=(55 - v, r, (n - int.from_bytes(s, "big")).to_bytes(32, "big")))


def test_expired_jailed_or_revoked_holder_cannot_publish(served):
    kit, model, first, node = served
    world = kit.world
    # recipients with attestations longer than the holder's
    late = [kit.enclave(base=K.SGX_QUOTE, validity=20 * 86400) for _ in range(4)]
    for r in late:
        kit.enroll(model, r)
    # workload revoked by the entry: the holder is TDX, the model now allows only SGX
    with boa.env.prank(kit.owner):
        kit.vault.setWorkloads(model, [K.workload_id(K.SGX_QUOTE)])
    with boa.reverts("vault: holder workload not allowed"):
        kit.publish_by_holder(model, first, late[0])
    with boa.env.prank(kit.owner):
        kit.vault.setWorkloads(model, [])
    # workload revoked globally (Admission's allowlist)
    world.admission.setWorkload(K.workload_id(K.TDX_QUOTE), False)
    with boa.reverts("vault: holder workload not allowed"):
        kit.publish_by_holder(model, first, late[0])
    world.admission.setWorkload(K.workload_id(K.TDX_QUOTE), True)
    # jailed in the core: its stake falls below minStake after a timeout slash
    with boa.env.anchor():
        requester = funded(world)
        req = kit.request_private(requester, model, deadline=K.now() + 200)
        assert req[8] == node
        boa.env.time_travel(seconds=201)
        world.core.refund(req)
        assert world.core.statusOf(node) == 3
        with boa.reverts("vault: holder jailed"):
            kit.publish_by_holder(model, first, late[1])
    # expired: the holder's enrollment ran out (7 days), the recipients' did not
    boa.env.time_travel(seconds=7 * 86400 + 1)
    with boa.reverts("vault: holder enrollment expired"):
        kit.publish_by_holder(model, first, late[2])
    # an eligible holder still can (the owner hands the key to one SGX enclave, which re-wraps)
    kit.publish_by_owner(model, late[2])
    kit.publish_by_holder(model, late[2], late[3])
    assert not kit.vault.holds(model, 1, late[0].signer) and not kit.vault.holds(model, 1, late[1].signer)


def test_no_wrap_for_an_unenrolled_expired_or_revoked_recipient(served):
    kit, model, first, _ = served
    stranger = kit.enclave()
    with boa.env.prank(kit.owner), boa.reverts("vault: recipient not enrolled"):
        kit.vault.publishKey(model, 1, stranger.signer, V.wrap_bytes(b"s"), K.ZERO, 0, K.ZERO32, K.ZERO32)
    with boa.reverts("vault: recipient not enrolled"):
        kit.publish_by_holder(model, first, stranger)
    sgx = kit.enclave(base=K.SGX_QUOTE)
    kit.enroll(model, sgx)
    with boa.env.prank(kit.owner):
        kit.vault.setWorkloads(model, [K.workload_id(K.TDX_QUOTE)])
    with boa.reverts("vault: recipient workload not allowed"):
        kit.publish_by_owner(model, sgx)
    short = kit.enclave(validity=3600)
    kit.enroll(model, short)
    boa.env.time_travel(seconds=3601)
    with boa.reverts("vault: recipient enrollment expired"):
        kit.publish_by_owner(model, short)
    with boa.reverts("vault: recipient enrollment expired"):
        kit.publish_by_holder(model, first, short)
    with boa.env.prank(kit.owner), boa.reverts("vault: wrapped key must be 112 bytes"):
        kit.vault.publishKey(model, 1, first.signer, b"\x01" * 111, K.ZERO, 0, K.ZERO32, K.ZERO32)
    with boa.env.prank(kit.owner), boa.reverts("vault: unknown model"):
        kit.vault.publishKey(keccak(b"none"), 1, first.signer, V.wrap_bytes(b"s"), K.ZERO, 0, K.ZERO32, K.ZERO32)


def test_first_wrap_stands(served):
    """A second wrap for the same (model, epoch, recipient), by a holder or even the owner, is refused."""
    kit, model, first, _ = served
    recipient = kit.enclave()
    kit.enroll(model, recipient)
    wrapped = kit.publish_by_holder(model, first, recipient)
    with boa.reverts("vault: key already published for recipient"):
        kit.publish_by_holder(model, first, recipient, wrapped=V.wrap_bytes(b"garbage"))
    with boa.reverts("vault: key already published for recipient"):
        kit.publish_by_owner(model, recipient, wrapped=V.wrap_bytes(b"garbage"))
    with boa.reverts("vault: key already published for recipient"):
        kit.publish_by_owner(model, first)
    assert kit.vault.wrappedKey(model, 1, recipient.signer) == wrapped


def test_rotation_makes_old_wraps_unreplayable(served):
    kit, model, first, _ = served
    recipient = kit.enclave()
    kit.enroll(model, recipient)
    wrapped = V.wrap_bytes(b"epoch 1")
    old_signature = kit.sign_wrap(first, model, 1, recipient.signer, wrapped)
    relayer = funded(kit.world)
    with boa.env.prank(relayer), boa.reverts("vault: not the model owner"):
        kit.vault.rotate(model, keccak(b"sealed 2"), "https://models.example/minilm-2.sealed")
    with boa.env.prank(kit.owner):
        kit.vault.rotate(model, keccak(b"sealed 2"), "https://models.example/minilm-2.sealed")
    event = kit.vault.get_logs()[-1]
    assert type(event).__name__ == "KeyRotated" and event.epoch == 2 and event.sealedHash == keccak(b"sealed 2")
    entry = kit.vault.models(model)
    assert entry.epoch == 2 and entry.location == "https://models.example/minilm-2.sealed"
    # the epoch-1 wrap, signed before the rotation, cannot be published any more
    with boa.reverts("vault: not the current epoch"):
        kit.publish_by_holder(model, first, recipient, epoch=1, wrapped=wrapped, signature=old_signature)
    with boa.reverts("vault: not the current epoch"):
        kit.publish_by_owner(model, recipient, epoch=1)
    # at epoch 2 only the owner holds the key: the epoch-1 holder is not a holder
    with boa.reverts("vault: holder has no key at this epoch"):
        kit.publish_by_holder(model, first, recipient, epoch=2, wrapped=wrapped, signature=old_signature)
    with boa.reverts("vault: holder has no key at this epoch"):
        kit.publish_by_holder(model, first, recipient, epoch=2)
    kit.publish_by_owner(model, first)
    assert kit.vault.holds(model, 2, first.signer) and kit.vault.holds(model, 1, first.signer)
    with boa.reverts("vault: not the holder's signature"):  # the old signature names epoch 1
        kit.publish_by_holder(model, first, recipient, epoch=2, wrapped=wrapped, signature=old_signature)
    kit.publish_by_holder(model, first, recipient, epoch=2)
    assert kit.vault.holds(model, 2, recipient.signer) and not kit.vault.holds(model, 1, recipient.signer)


# ---- private requests and the privacy budget ------------------------------------------------------------
def test_private_request_spends_epsilon_and_names_the_vault(served):
    kit, model, first, node = served
    requester = funded(kit.world)
    assert kit.vault.remainingBudget(model, requester) == V.BUDGET
    req = kit.request_private(requester, model)
    assert req[1] == kit.address  # the core's Requested event names the vault as requester
    pr = kit.vault.privateRequests(req[0])
    assert pr.requester == requester and pr.epoch == 1 and kit.vault.privateFees(req[0]) == K.MODEL_FEE
    event = [e for e in kit.events if type(e).__name__ == "PrivateRequested"][0]
    assert (event.id, event.model, event.requester, event.epoch) == (req[0], model, requester, 1)
    assert (event.epsilonMicros, event.spentMicros, event.budgetMicros) == (V.EPSILON, V.EPSILON, V.BUDGET)
    assert kit.vault.remainingBudget(model, requester) == V.BUDGET - V.EPSILON
    assert kit.vault.spent(model, requester, K.now() // V.PERIOD) == V.EPSILON
    # after a rotation a request records the new epoch (its noise is keyed by that epoch's key)
    with boa.env.prank(kit.owner):
        kit.vault.rotate(model, keccak(b"sealed 2"), "/m2")
    later = kit.request_private(requester, model)
    assert kit.vault.privateRequests(later[0]).epoch == 2
    # the node serves it as usual: the request is the core's, the requester field is the vault
    kit.world.fulfil(later)
    assert kit.world.accounted_ok()


def test_requester_over_budget_is_refused(served):
    kit, model, _, _ = served
    requester = funded(kit.world)
    for _ in range(V.BUDGET // V.EPSILON):
        kit.request_private(requester, model)
    assert kit.vault.remainingBudget(model, requester) == 0
    count = kit.world.core.requestCount()
    with boa.env.prank(requester), boa.reverts("vault: privacy budget exhausted"):
        kit.vault.requestPrivate(model, b"x", K.ZERO, 0, K.now() + 600, b"", [], value=K.MODEL_FEE)
    assert kit.world.core.requestCount() == count
    # another model's budget is separate
    other = kit.register_model(tag=b"other")
    assert kit.vault.remainingBudget(other, requester) == V.BUDGET


def test_budget_period_rolls_over(served):
    kit, model, _, _ = served
    requester = funded(kit.world)
    boa.env.time_travel(seconds=V.PERIOD - K.now() % V.PERIOD)  # the start of a period
    for _ in range(4):
        kit.request_private(requester, model)
    boa.env.time_travel(seconds=V.PERIOD - 1)  # the last second of the same period
    with boa.env.prank(requester), boa.reverts("vault: privacy budget exhausted"):
        kit.vault.requestPrivate(model, b"x", K.ZERO, 0, K.now() + 600, b"", [], value=K.MODEL_FEE)
    boa.env.time_travel(seconds=1)  # the next period
    assert kit.vault.remainingBudget(model, requester) == V.BUDGET
    kit.request_private(requester, model)
    assert kit.vault.remainingBudget(model, requester) == V.BUDGET - V.EPSILON
    # the owner may change the budget (not the policy); spending already recorded stays
    with boa.env.prank(kit.owner):
        kit.vault.setBudget(model, V.EPSILON, V.PERIOD, False)
    assert kit.vault.remainingBudget(model, requester) == 0
    with boa.env.prank(requester), boa.reverts("vault: privacy budget exhausted"):
        kit.vault.requestPrivate(model, b"x", K.ZERO, 0, K.now() + 600, b"", [], value=K.MODEL_FEE)


def test_sybils_are_refused_when_requesters_are_listed(served):
    kit, model, _, _ = served
    approved = funded(kit.world)
    with boa.env.prank(kit.owner):
        kit.vault.setBudget(model, V.BUDGET, V.PERIOD, True)
        kit.vault.setRequester(model, approved, True)
    event = kit.vault.get_logs()[-1]
    assert type(event).__name__ == "RequesterSet" and event.requester == approved and event.allowed
    for _ in range(4):
        kit.request_private(approved, model)
    for _ in range(5):  # fresh addresses of the same person get nothing
        sybil = funded(kit.world)
        assert kit.vault.remainingBudget(model, sybil) == 0
        with boa.env.prank(sybil), boa.reverts("vault: requester not approved"):
            kit.vault.requestPrivate(model, b"x", K.ZERO, 0, K.now() + 600, b"", [], value=K.MODEL_FEE)
    with boa.env.prank(approved), boa.reverts("vault: privacy budget exhausted"):
        kit.vault.requestPrivate(model, b"x", K.ZERO, 0, K.now() + 600, b"", [], value=K.MODEL_FEE)
    with boa.env.prank(kit.owner):
        kit.vault.setRequester(model, approved, False)
    boa.env.time_travel(seconds=V.PERIOD)
    with boa.env.prank(approved), boa.reverts("vault: requester not approved"):
        kit.vault.requestPrivate(model, b"x", K.ZERO, 0, K.now() + 600, b"", [], value=K.MODEL_FEE)


def test_without_a_list_the_budget_is_per_address(served):
    """Documented limit: with requestersListed unset the budget is per address, so n addresses spend n
    budgets. The requester list is the defence (test above); the owner sets it when that matters."""
    kit, model, _, _ = served
    sybils = [funded(kit.world) for _ in range(3)]
    for sybil in sybils:
        for _ in range(4):
            kit.request_private(sybil, model)
        assert kit.vault.remainingBudget(model, sybil) == 0
    assert sum(kit.vault.spent(model, s, K.now() // V.PERIOD) for s in sybils) == 3 * V.BUDGET


def test_requester_bypassing_the_vault_is_visible_to_the_node(served):
    """core.request for a private model is accepted by the core (it is not changed), but its Requested event
    names the requester, not the vault, and the vault has no record of it: an enclave serves a private model
    only for requests the vault made (it posts status 5 "unsupported" otherwise), so the bypass buys an
    error result, not an output without the budget."""
    kit, model, _, _ = served
    bypasser = funded(kit.world)
    req = kit.world.request(bypasser, model=model)
    assert req[1] == bypasser and req[1] != kit.address
    assert kit.vault.privateRequests(req[0]).requester == K.ZERO
    assert kit.vault.remainingBudget(model, bypasser) == V.BUDGET


def test_private_request_checks(served):
    kit, model, _, _ = served
    requester = funded(kit.world)
    public = kit.register_model(tag=b"public", pol=V.policy(mechanism=0, epsilon=0, similarity=0))
    with boa.env.prank(requester):
        with boa.reverts("vault: model has no privacy policy"):
            kit.vault.requestPrivate(public, b"x", K.ZERO, 0, K.now() + 600, b"", [], value=K.MODEL_FEE)
        with boa.reverts("vault: unknown model"):
            kit.vault.requestPrivate(keccak(b"none"), b"x", K.ZERO, 0, K.now() + 600, b"", [], value=K.MODEL_FEE)
        with boa.reverts("request: fee below model fee"):  # the core's own checks still apply, and nothing is spent
            kit.vault.requestPrivate(model, b"x", K.ZERO, 0, K.now() + 600, b"", [], value=K.MODEL_FEE - 1)
    assert kit.vault.remainingBudget(model, requester) == V.BUDGET
    assert kit.vault.remainingBudget(public, requester) == 0


# ---- refunds of private requests --------------------------------------------------------------------------
def test_refund_goes_to_the_requester_once_whoever_triggers_it(served):
    kit, model, _, _ = served
    world = kit.world
    requester, thief = funded(world), funded(world)
    req = kit.request_private(requester, model, fee=3 * K.MODEL_FEE, deadline=K.now() + 200)
    with boa.env.prank(requester), boa.reverts("vault: request not refunded"):
        kit.vault.claimRefund(req[0])
    boa.env.time_travel(seconds=201)
    with boa.env.prank(thief):
        world.core.refund(req)  # anyone may trigger the core's refund: it credits the vault
    assert world.core.requests(req[0]) == V.REFUNDED and world.core.credits(kit.address) == 3 * K.MODEL_FEE
    assert kit.owed() == 3 * K.MODEL_FEE
    with boa.env.prank(thief), boa.reverts("vault: not the requester"):
        kit.vault.claimRefund(req[0])
    with boa.env.prank(thief), boa.reverts("ledger: nothing to withdraw"):
        world.core.withdraw()  # the thief has no credit of its own at the core
    before = boa.env.get_balance(requester)
    with boa.env.prank(requester):
        kit.vault.claimRefund(req[0])
    assert boa.env.get_balance(requester) - before == 3 * K.MODEL_FEE
    event = kit.vault.get_logs()[-1]
    assert type(event).__name__ == "RefundClaimed" and event.requester == requester and event.amount == 3 * K.MODEL_FEE
    with boa.env.prank(requester), boa.reverts("vault: nothing to refund"):
        kit.vault.claimRefund(req[0])
    assert kit.owed() == 0 and kit.vault.privateFees(req[0]) == 0
    # ε is not given back on refund
    assert kit.vault.remainingBudget(model, requester) == V.BUDGET - V.EPSILON
    assert world.accounted_ok()


def test_refunds_of_several_requesters_stay_apart(served):
    kit, model, _, _ = served
    world = kit.world
    a, b = funded(world), funded(world)
    ra = kit.request_private(a, model, fee=K.MODEL_FEE, deadline=K.now() + 200)
    rb = kit.request_private(b, model, fee=5 * K.MODEL_FEE, deadline=K.now() + 200)
    rc = kit.request_private(b, model, fee=2 * K.MODEL_FEE, deadline=K.now() + 600)
    kit.world.fulfil(rc)  # answered (the two timeouts below jail the node)
    boa.env.time_travel(seconds=201)
    world.core.refund(ra)
    world.core.refund(rb)
    with boa.env.prank(a), boa.reverts("vault: not the requester"):
        kit.vault.claimRefund(rb[0])  # a cannot take b's larger refund
    with boa.env.prank(b):
        kit.vault.claimRefund(rb[0])  # withdraws both credits from the core, pays b its own
    assert boa.env.get_balance(kit.address) == K.MODEL_FEE and kit.owed() == K.MODEL_FEE
    with boa.env.prank(a):
        kit.vault.claimRefund(ra[0])  # paid from the vault's balance, nothing left at the core
    assert kit.owed() == 0
    with boa.env.prank(b), boa.reverts("vault: request not refunded"):
        kit.vault.claimRefund(rc[0])  # a fulfilled request has no refund
    with boa.reverts("vault: not the requester"):
        kit.vault.claimRefund(keccak(b"not a private request"))


def test_overturned_private_request_is_refunded_to_its_requester(served):
    """An executor outvoted in a dispute: the arbiter credits the fee to the core's requester (the vault);
    the book entry is later FINAL (corrected delivery), and the vault reads the arbiter's record."""
    kit, model, first, node = served
    world = kit.world
    world.set_params(verifyBps=10000)
    for _ in range(5):
        e = kit.enclave()
        kit.enroll(model, e)
        kit.publish_by_holder(model, first, e)
        kit.register_node(model, e)
    K.mine(256)
    requester = funded(world)
    req = kit.request_private(requester, model, fee=4 * K.MODEL_FEE)
    executor = world.node(req[8])
    ful = world.fulfil(req, world.sign_result(executor, req, output=b"wrong"))
    K.mine(1)
    v = world.node(world.arbiter.sampledVerifier(req, ful, []))
    world.arbiter.verify(req, ful, [], v.id, world.sign_result(v, req, output=b"positive", role=K.ROLE_VERIFY))
    K.mine(1)
    world.arbiter.drawJurors(req[0], [])
    jurors = list(world.arbiter.disputes(req[0]).jurors)
    with boa.env.prank(requester), boa.reverts("vault: request not refunded"):
        kit.vault.claimRefund(req[0])  # disputed, not yet resolved
    for seat, j in enumerate(jurors):
        world.arbiter.vote(req[0], seat, world.sign_result(world.node(j), req, output=b"positive", role=K.ROLE_VOTE))
    boa.env.time_travel(seconds=3601)
    world.arbiter.resolve(req, with_state(ful, DISPUTED))
    winner = K.plaintext_commitment(req[0], 0, b"positive")
    overturned = with_state(ful, OVERTURNED, commitment=winner)
    world.arbiter.deliverCorrected(req, overturned, jurors[0], world.sign_result(world.node(jurors[0]), req,
                                                                                  output=b"positive", role=K.ROLE_VOTE))
    assert world.core.requests(req[0]) == b"\x00" * 31 + b"\x01"  # FINAL, as a settled request would be
    assert kit.owed() == 4 * K.MODEL_FEE
    before = boa.env.get_balance(requester)
    with boa.env.prank(requester):
        kit.vault.claimRefund(req[0])
    assert boa.env.get_balance(requester) - before == 4 * K.MODEL_FEE and kit.owed() == 0
    with boa.env.prank(requester), boa.reverts("vault: nothing to refund"):
        kit.vault.claimRefund(req[0])


def test_settled_private_request_has_no_refund(served):
    kit, model, _, _ = served
    world = kit.world
    requester = funded(world)
    req = kit.request_private(requester, model)
    ful = world.fulfil(req)
    K.mine(200, seconds=3601)
    world.core.settle(req, ful)
    with boa.env.prank(requester), boa.reverts("vault: request not refunded"):
        kit.vault.claimRefund(req[0])
    assert kit.owed() == 0


def test_only_the_core_pays_the_vault(kit):
    sender = funded(kit.world)
    with pytest.raises(Exception, match="only the core pays the vault"):
        boa.env.raw_call(kit.address, sender=sender, value=1)
    assert kit.vault.core() == kit.world.core.address and kit.vault.admission() == kit.world.admission.address


def with_state(ful, state, commitment=None):
    return (commitment or ful[0], ful[1], ful[2], state, ful[4], ful[5], ful[6])


def test_vault_fits_the_code_size_limit(kit):
    """EIP-170: 24,576 bytes of runtime code (the vault is its own contract because the core is full)."""
    size = len(boa.env.get_code(kit.address))
    assert 0 < size < 24_576 * 3 // 4, size
