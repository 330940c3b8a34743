"""Private models from a contract: the consumer kit's vault helpers (contracts/kits/cloister_consumer.vy and its
Solidity twin) and the dApp-facing vault interface (contracts/interfaces/IModelVault.vyi and .sol).

- End to end against the real contracts (core, admission, committee, arbiter, ModelVault), with the vault kit's
  served private model and its node: a consumer built on the kit asks through the vault, so the consumer is the
  requester whose ε is charged; the core calls back (its request id is the core's); past the budget the vault
  refuses with its reason; a timed-out private request's fee comes back to the consumer through the vault.
- Attacks: an account or another contract cannot spend the consumer's budget or claim its refund, cannot call
  its callback, and a stranger's request naming the consumer as its callback is told apart.
- The docs/contracts.md "Private models" example, compiled from the page and played the same way.
- IModelVault.vyi, IModelVault.sol and the Solidity kit's private helpers against the compiled vault ABI, the way
  test_consumer_kits.py checks ICloister.
"""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

import boa
import eth_abi
import pytest
from eth_utils import keccak, to_checksum_address

import cloister_kit as K
import vault_kit as V
from solidity_ast import parse_solidity
from test_consumer_kits import (abi_index, abi_type, assert_interface_is_abi, compiled_abi, contract, fields, sol_params,
                                sol_structs, sol_type, vyi_abi_index)

PROBE = K.ROOT / "tests/contracts/support/PrivateKitProbe.vy"
ANSWER = -635716  # a (noised) similarity × 10⁶, as a node posts it
REFUND_NOT_DUE = "refund: deadline not passed"


@pytest.fixture
def private(world):
    """A served private model (Laplace, ε 0.5 a request, budget 2.0 a day), a consumer on the kit that uses the
    vault, and a funded asker who pays the consumer's fees."""
    kit = V.Vault(world)
    model = kit.register_model()
    enclave = kit.enclave()
    kit.enroll(model, enclave)
    kit.publish_by_owner(model, enclave)
    kit.register_node(model, enclave)
    consumer = boa.load(str(PROBE), world.core.address, kit.address)
    asker = boa.env.generate_address()
    world.fund(asker)
    return kit, model, consumer, asker


def funded(world) -> str:
    account = boa.env.generate_address()
    world.fund(account)
    return account


def ask(kit, consumer, asker, model, a="my record is in the data", b="the data holds records") -> tuple:
    """consumer.askPrivate paid by `asker`; the core's Request tuple of it (from the Requested event)."""
    with boa.env.prank(asker):
        rid = consumer.askPrivate(model, a, b, value=consumer.fee(model))
    event = [e for e in kit.world.core.get_logs(computation=consumer._computation, strict=False)
             if type(e).__name__ == "Requested"][-1]
    assert event.id == rid
    kit.events = kit.vault.get_logs(computation=consumer._computation, strict=False)  # the vault's, of this call
    return (rid, to_checksum_address(event.requester), model, keccak(event.input), event.callback, event.callbackGas,
            event.fee, event.deadline, event.node, K.ZERO32)


def answer(kit, req, value=ANSWER, status=0):
    output = eth_abi.encode(["int256"], [value]) if status == 0 else b"unsupported"
    world = kit.world
    world.fulfil(req, world.sign_result(world.node(req[8]), req, output=output, status=status))
    return [e for e in world.core.get_logs() if type(e).__name__ == "Fulfilled"][-1]


# ---- the consumer's private requests --------------------------------------------------------------------
def test_consumer_asks_through_the_vault_is_charged_and_called_back_by_the_core(private):
    kit, model, consumer, asker = private
    assert consumer.VAULT() == kit.address and consumer.budget(model) == V.BUDGET
    req = ask(kit, consumer, asker, model)
    # the core's request: the vault is its requester, the consumer its callback; the id is the core's
    assert req[1] == kit.address and req[4] == consumer.address and req[5] == 300000
    assert req[6] == kit.world.core.requestFee(model, 300000) and boa.env.get_balance(consumer.address) == 0
    record = kit.vault.privateRequests(req[0])
    assert record.requester == consumer.address and record.epoch == 1
    assert kit.world.core.requests(req[0]) == K.pending_hash(req)
    # ε is charged to the consumer (the vault's requester), not to whoever paid it
    assert consumer.budget(model) == kit.vault.remainingBudget(model, consumer.address) == V.BUDGET - V.EPSILON
    assert kit.vault.remainingBudget(model, asker) == V.BUDGET
    event = [e for e in kit.events if type(e).__name__ == "PrivateRequested"][0]
    assert (event.id, event.requester, event.spentMicros) == (req[0], consumer.address, V.EPSILON)
    fulfilled = answer(kit, req)
    assert fulfilled.callbackOk is True
    assert consumer.answered(req[0]) and consumer.similarity(req[0]) == ANSWER and consumer.calls() == 1
    # the kit's plain helpers are unchanged beside the private ones
    public = kit.register_model(tag=b"public", pol=V.policy(mechanism=0, epsilon=0, similarity=0, budget=0, period=0))
    assert consumer.budget(public) == 0


def test_consumer_is_refused_past_its_budget_with_the_vaults_reason(private):
    kit, model, consumer, asker = private
    for i in range(V.BUDGET // V.EPSILON):
        ask(kit, consumer, asker, model, a=f"question {i}")
    assert consumer.budget(model) == 0
    count, balance = kit.world.core.requestCount(), boa.env.get_balance(asker)
    with boa.env.prank(asker), boa.reverts("vault: privacy budget exhausted"):
        consumer.askPrivate(model, "one more", "please", value=consumer.fee(model))
    assert kit.world.core.requestCount() == count and boa.env.get_balance(asker) == balance
    assert boa.env.get_balance(consumer.address) == 0
    # the next period brings the budget back
    boa.env.time_travel(seconds=V.PERIOD)
    assert consumer.budget(model) == V.BUDGET
    ask(kit, consumer, asker, model)


def test_timed_out_private_request_is_refunded_to_the_consumer_through_the_vault(private):
    kit, model, consumer, asker = private
    first = ask(kit, consumer, asker, model, a="nobody answers")
    second = ask(kit, consumer, asker, model, a="nobody answers either")
    with boa.reverts(REFUND_NOT_DUE):
        consumer.reclaimPrivate(first)
    boa.env.time_travel(seconds=601)
    stranger = funded(kit.world)
    with boa.env.prank(stranger):
        kit.world.core.refund(second)  # anyone may trigger the core's refund: the vault is credited
    with boa.env.prank(stranger):  # anyone may have the consumer reclaim: the fee still goes to the consumer
        assert consumer.reclaimPrivate(first) == first[6]
    assert boa.env.get_balance(consumer.address) == first[6]
    consumer.reclaimPrivate(second)  # the core's part was done already: only the vault's claim is made
    assert boa.env.get_balance(consumer.address) == first[6] + second[6] == consumer.refunded()
    assert kit.vault.privateFees(first[0]) == 0 and kit.owed() == 0
    with boa.reverts("vault: nothing to refund"):
        consumer.reclaimPrivate(first)
    assert consumer.budget(model) == V.BUDGET - 2 * V.EPSILON  # ε is not given back
    assert kit.world.accounted_ok()


def test_an_answered_private_request_has_no_refund(private):
    kit, model, consumer, asker = private
    req = ask(kit, consumer, asker, model)
    answer(kit, req)
    boa.env.time_travel(seconds=601)
    with boa.reverts("vault: request not refunded"):
        consumer.reclaimPrivate(req)


# ---- attacks ---------------------------------------------------------------------------------------------
def test_others_cannot_spend_the_consumers_budget(private):
    """An account asking the vault directly, or another consumer contract, is charged its own budget; a request
    that names the consumer as its callback reaches it from the core but is not one it asked, and is ignored."""
    kit, model, consumer, asker = private
    attacker = funded(kit.world)
    deadline = K.now() + 600
    payload = eth_abi.encode(["string", "string"], ["spend", "theirs"])
    fee = kit.world.core.requestFee(model, 300000)
    with boa.env.prank(attacker):
        rid = kit.vault.requestPrivate(model, payload, consumer.address, 300000, deadline, b"", [], value=fee)
    node = next(e.node for e in kit.world.core.get_logs(computation=kit.vault._computation, strict=False)
                if type(e).__name__ == "Requested")
    assert kit.vault.privateRequests(rid).requester == attacker
    assert kit.vault.remainingBudget(model, attacker) == V.BUDGET - V.EPSILON and consumer.budget(model) == V.BUDGET
    other = boa.load(str(PROBE), kit.world.core.address, kit.address)
    for _ in range(V.BUDGET // V.EPSILON):
        ask(kit, other, attacker, model)
    assert other.budget(model) == 0 and consumer.budget(model) == V.BUDGET
    # the attacker's request calls the consumer back from the core; the consumer never asked it
    attack = (rid, kit.address, model, keccak(payload), consumer.address, 300000, fee, deadline, node, K.ZERO32)
    req = ask(kit, consumer, asker, model)  # the consumer's own, to compare
    assert answer(kit, attack).callbackOk is True
    assert consumer.ignored() == 1 and consumer.calls() == 0 and not consumer.answered(rid)
    answer(kit, req)
    assert consumer.calls() == 1 and consumer.answered(req[0])


def test_others_cannot_claim_the_consumers_refund(private):
    kit, model, consumer, asker = private
    req = ask(kit, consumer, asker, model, a="timed out")
    boa.env.time_travel(seconds=601)
    kit.world.core.refund(req)
    attacker = funded(kit.world)
    with boa.env.prank(attacker), boa.reverts("vault: not the requester"):
        kit.vault.claimRefund(req[0])
    with boa.env.prank(attacker), boa.reverts("ledger: nothing to withdraw"):
        kit.world.core.withdraw()
    thief = boa.load(str(PROBE), kit.world.core.address, kit.address)  # a contract on the same kit
    with boa.env.prank(attacker), boa.reverts("vault: not the requester"):
        thief.reclaimPrivate(req)
    with boa.env.prank(asker), boa.reverts("vault: not the requester"):  # the asker paid, the consumer requested
        kit.vault.claimRefund(req[0])
    assert consumer.reclaimPrivate(req) == req[6] and boa.env.get_balance(consumer.address) == req[6]
    assert boa.env.get_balance(thief.address) == 0


def test_nobody_but_the_core_calls_back_and_only_the_core_or_vault_pays_in(private):
    kit, model, consumer, asker = private
    req = ask(kit, consumer, asker, model)
    forged = eth_abi.encode(["int256"], [10**6])
    for caller in (asker, funded(kit.world), kit.address):  # the vault itself is not the core
        with boa.env.prank(caller), boa.reverts("cloister: caller is not the core"):
            consumer.cloisterCallback(req[0], 0, forged)
    assert not consumer.answered(req[0])
    with pytest.raises(Exception, match="cloister: only the core pays in"):
        boa.env.raw_call(consumer.address, value=1, sender=asker)
    kit.world.fund(kit.address, 1)
    boa.env.raw_call(consumer.address, value=1, sender=kit.address)  # private refunds arrive from the vault
    assert boa.env.get_balance(consumer.address) == 1


def test_use_vault_is_once_and_only_for_this_cores_vault(private):
    kit, model, consumer, asker = private
    with boa.reverts("cloister: vault already set"):
        consumer.setVault(kit.address)
    bare = boa.load(str(PROBE), kit.world.core.address, K.ZERO)
    assert bare.VAULT() == K.ZERO
    with boa.env.prank(asker), boa.reverts("cloister: no vault set"):
        bare.askPrivate(model, "a", "b", value=bare.fee(model))
    with boa.reverts("cloister: no vault set"):
        bare.budget(model)
    with boa.reverts("cloister: vault is the zero address"):
        bare.setVault(K.ZERO)
    other_core = K.factory("Cloister.vy").deploy(kit.world.admission.address)
    foreign = K.factory("ModelVault.vy").deploy(other_core.address)
    with boa.reverts("cloister: vault of another core"):
        bare.setVault(foreign.address)
    bare.setVault(kit.address)
    assert bare.VAULT() == kit.address and bare.budget(model) == V.BUDGET


# ---- the docs/contracts.md example ---------------------------------------------------------------------
def docs_example() -> str:
    text = (K.ROOT / "docs/contracts.md").read_text()
    section = text[text.index("## Private models"):]
    return re.search(r"```vyper\n(.*?)```", section, re.S).group(1)


def test_docs_private_models_example_works(private):
    kit, model, _, asker = private
    # (not pytest's tmp_path: boa anchors every fixture's setup, and a session fixture set up inside this
    # module's anchors would be torn down out of order)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "PrivateSimilarity.vy"
        source.write_text(docs_example())
        example = boa.load(str(source), kit.world.core.address, kit.address, model)
    assert example.budget() == V.BUDGET
    fee = example.fee()
    with boa.env.prank(asker):
        rid = example.ask("my record is in the data", "the data holds records", value=fee)
    event = [e for e in kit.world.core.get_logs(computation=example._computation, strict=False)
             if type(e).__name__ == "Requested"][-1]
    req = (rid, to_checksum_address(event.requester), model, keccak(event.input), event.callback, event.callbackGas,
           event.fee, event.deadline, event.node, K.ZERO32)
    assert req[1] == kit.address and example.budget() == V.BUDGET - V.EPSILON
    assert answer(kit, req).callbackOk is True and example.similarity(rid) == ANSWER
    with boa.env.prank(asker), boa.reverts("cloister: caller is not the core"):
        example.cloisterCallback(rid, 0, eth_abi.encode(["int256"], [1]))
    # a timed-out one comes back to the asker through the contract
    with boa.env.prank(asker):
        late = example.ask("nobody", "answers", value=fee)
    event = [e for e in kit.world.core.get_logs(computation=example._computation, strict=False)
             if type(e).__name__ == "Requested"][-1]
    late_req = (late, kit.address, model, keccak(event.input), event.callback, event.callbackGas, event.fee,
                event.deadline, event.node, K.ZERO32)
    for _ in range(2):
        with boa.env.prank(asker):
            example.ask("spend", "the rest", value=fee)
    assert example.budget() == 0
    with boa.env.prank(asker), boa.reverts("vault: privacy budget exhausted"):
        example.ask("over", "budget", value=fee)
    boa.env.time_travel(seconds=601)
    before = boa.env.get_balance(asker)
    example.reclaim(late_req)  # by anyone: the fee goes to the asker
    assert boa.env.get_balance(asker) - before == fee
    with boa.reverts("vault: nothing to refund"):
        example.reclaim(late_req)


# ---- interface files against the compiled vault ---------------------------------------------------------
VAULT_ABI = compiled_abi("ModelVault.vy")
VAULT_FUNCTIONS, VAULT_EVENTS = abi_index(VAULT_ABI)
IMODELVAULT_SOL = K.CONTRACTS / "interfaces/IModelVault.sol"
KIT_SOL = K.CONTRACTS / "kits/CloisterConsumer.sol"
DAPP_FUNCTIONS = {"requestPrivate", "claimRefund", "remainingBudget", "models", "spent", "requesters",
                  "privateRequests", "privateFees", "core"}


def test_imodelvault_vyi_is_the_vaults_abi():
    functions, events = vyi_abi_index("interfaces/IModelVault.vyi")
    assert {f["name"] for f in functions.values()} == DAPP_FUNCTIONS
    assert {e["name"] for e in events.values()} == {"PrivateRequested", "RefundClaimed"}
    assert_interface_is_abi(functions, events, (VAULT_FUNCTIONS, VAULT_EVENTS), "ModelVault.vy")


def test_imodelvault_sol_matches_the_vault_selector_topic_and_field():
    definition = contract(parse_solidity(IMODELVAULT_SOL), "IModelVault")
    structs = sol_structs(definition)
    functions = [p for p in definition["subNodes"] if p["type"] == "FunctionDefinition"]
    assert {f["name"] for f in functions} == DAPP_FUNCTIONS
    for f in functions:
        inputs = sol_params(f["parameters"], structs)
        selector = keccak(text=f"{f['name']}({','.join(t for t, _ in inputs)})")[:4]
        assert selector in VAULT_FUNCTIONS, f"IModelVault.sol {f['name']}: selector 0x{selector.hex()} not in ModelVault.vy"
        vault = VAULT_FUNCTIONS[selector]
        assert (f["stateMutability"] or "nonpayable") == vault["stateMutability"], f["name"]
        assert [t for t, _ in sol_params(f["returnParameters"], structs)] == [abi_type(o) for o in vault["outputs"]], f["name"]
    events = [p for p in definition["subNodes"] if p["type"] == "EventDefinition"]
    assert {e["name"] for e in events} == {"PrivateRequested", "RefundClaimed"}
    for e in events:
        params = e["parameters"]["parameters"]
        topic = keccak(text=f"{e['name']}({','.join(sol_type_plain(p) for p in params)})")
        assert topic in VAULT_EVENTS, e["name"]
        assert [(p["name"], bool(p["isIndexed"])) for p in params] == \
            [(i["name"], i["indexed"]) for i in VAULT_EVENTS[topic]["inputs"]], e["name"]
    by_name = {f["name"]: f for f in VAULT_ABI if f["type"] == "function"}
    compiled = {"Entry": fields(by_name["models"]["outputs"][0]),
                "PrivateRequest": fields(by_name["privateRequests"]["outputs"][0])}
    assert structs == compiled


def sol_type_plain(param: dict) -> str:
    return sol_type(param["typeName"], {})


def test_solidity_kits_private_helpers_are_the_twins_of_the_vyper_kits():
    kit = contract(parse_solidity(KIT_SOL), "CloisterConsumer")
    structs = sol_structs(contract(parse_solidity(K.CONTRACTS / "interfaces/ICloister.sol"), "ICloister"))
    functions = {p["name"]: p for p in kit["subNodes"] if p["type"] == "FunctionDefinition"}
    vyper = (K.CONTRACTS / "kits/cloister_consumer.vy").read_text()
    pairs = [("_requestPrivateBytes", "request_private_bytes"), ("_requestPrivateEmbed", "request_private_embed"),
             ("_requestPrivateSimilarity", "request_private_similarity"),
             ("_requestPrivateClassify", "request_private_classify"), ("_remainingBudget", "remaining_budget"),
             ("_claimPrivateRefund", "claim_private_refund"), ("_useVault", "use_vault")]
    for sol_name, vy_name in pairs:
        vy_params = re.search(rf"def {vy_name}\((.*?)\)", vyper).group(1)
        count = len(re.findall(r"\b\w+\s*:", vy_params))  # "name: type" (a type's own commas are in brackets)
        assert len(sol_params(functions[sol_name]["parameters"], structs)) == count, sol_name
    # the plain helpers and their private twins take the same arguments
    for plain in ("_requestBytes", "_requestEmbed", "_requestSimilarity", "_requestClassify"):
        private = plain.replace("_request", "_requestPrivate")
        assert sol_params(functions[plain]["parameters"], structs) == sol_params(functions[private]["parameters"], structs)
    # every call on the vault is an IModelVault function, and the vault is checked to be this core's
    source = KIT_SOL.read_text()
    used = set(re.findall(r"\b(?:vault|_vault\(\)|IModelVault\(vault\))\.(\w+)[({]", source))
    assert used == {"requestPrivate", "remainingBudget", "privateFees", "claimRefund", "core"}, used
    assert used <= DAPP_FUNCTIONS
    vy_used = set(re.findall(r"\b(?:vault|self\._vault\(\)|IModelVault\(vault\))\.(\w+)\(", vyper))
    assert vy_used == used, vy_used
