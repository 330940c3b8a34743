"""The consumer kits and interface files (issue 15, item 2).

- The Vyper kit (contracts/kits/cloister_consumer.vy), end to end against the real contracts: a consumer
  built on it requests every task (the input encoded as deploy.py's TASK_ENCODINGS declares), the result
  is fulfilled without a node (signed with the test kit's enclave keys), the callback decodes it, a
  caller other than the core is refused, and a timed-out request's refund is claimed and withdrawn.
- ICloister.vyi, ICloister.sol and CloisterConsumer.sol, checked against the compiled ABI: every function
  by selector, mutability and outputs, every event by topic and indexed fields, every struct field by
  field. No Solidity compiler can be installed here, so the Solidity files are parsed (solidityParserPlus,
  with syntax errors made fatal).
"""
from __future__ import annotations

import re
import sys

import boa
import eth_abi
import pytest
from eth_utils import keccak
from vyper.compiler.output import build_abi_output

import cloister_kit as K

if str(K.ROOT) not in sys.path:  # `from contracts.kits import …` resolves from the repository root
    sys.path.insert(0, str(K.ROOT))

from deploy import TASK_ENCODINGS, parse_model  # noqa: E402
from solidity_ast import parse_solidity  # noqa: E402

EMBED, SIMILARITY = keccak(b"test/embed"), keccak(b"test/similarity")
GAS = 500000


# ---- the Vyper kit, end to end ---------------------------------------------------------------------
@pytest.fixture
def probe(world):
    world.core.setModel(EMBED, K.MODEL_FEE, True, True)
    world.core.setModel(SIMILARITY, K.MODEL_FEE, True, True)
    node = world.register(models=[K.MODEL, EMBED, SIMILARITY])
    contract = boa.load(str(K.ROOT / "tests/contracts/support/KitProbe.vy"), world.core.address)
    asker = boa.env.generate_address()
    world.fund(asker)
    return world, node, contract, asker


def last_request(world, computation) -> tuple:
    event = [e for e in world.core.get_logs(computation=computation, strict=False) if type(e).__name__ == "Requested"][-1]
    return event, (event.id, event.requester, event.model, keccak(event.input), event.callback, event.callbackGas,
                   event.fee, event.deadline, event.node, K.ZERO32)


def declared(task: str, part: str) -> list[str]:
    inner = re.match(r"abi\.encode\((.*)\)$", TASK_ENCODINGS[task][part]).group(1)
    return [field.split()[0] for field in inner.split(",")]


def test_kit_requests_each_task_in_its_declared_encoding_and_decodes_the_answer(probe):
    world, node, contract, asker = probe
    fee = contract.fee(EMBED)
    assert fee == world.core.requestFee(EMBED, GAS) > K.MODEL_FEE
    cases = [
        ("embed", EMBED, contract.askEmbed, ["a cat sleeps"], [bytes(range(256)) + bytes(range(128))]),
        ("similarity", SIMILARITY, contract.askSimilarity, ["a cat sleeps", "a kitten naps"], [-635716]),
        ("classify", K.MODEL, contract.askClassify, ["rates rose", ["finance", "sport"]], [0, [230872, 55062]]),
    ]
    for task, model, ask, values, answer in cases:
        with boa.env.prank(asker):
            ask(model, *values, value=fee)
        event, req = last_request(world, contract._computation)
        assert event.input == eth_abi.encode(declared(task, "input"), values), task
        assert event.fee == fee and event.callback == contract.address and event.callbackGas == GAS
        output = eth_abi.encode(declared(task, "output"), answer)
        world.fulfil(req, world.sign_result(world.node(req[8]), req, output=output))
        assert world.core.get_logs()[-1].callbackOk is True, task
    assert contract.embedding() == bytes(range(256)) + bytes(range(128))
    assert contract.similarity() == -635716
    assert contract.best() == 0 and [contract.scores(0), contract.scores(1)] == [230872, 55062]
    assert contract.calls() == 3 and boa.env.get_balance(contract.address) == 0


def test_kit_refuses_a_callback_from_anyone_but_the_core_and_records_errors(probe):
    world, node, contract, asker = probe
    with boa.env.prank(asker), boa.reverts("cloister: caller is not the core"):
        contract.cloisterCallback(b"\x01" * 32, 0, eth_abi.encode(["int256"], [1]))
    with pytest.raises(Exception, match="cloister: only the core pays in"):
        boa.env.raw_call(contract.address, value=1, sender=asker)
    with boa.env.prank(asker):
        contract.askClassify(K.MODEL, "x", [], value=contract.fee(K.MODEL))
    _, req = last_request(world, contract._computation)
    world.fulfil(req, world.sign_result(world.node(req[8]), req, status=1, output=b"no labels"))
    assert contract.lastStatus() == 1 and contract.lastError() == b"no labels" and contract.calls() == 1


def test_kit_will_not_pay_more_than_the_contract_holds(probe):
    world, node, contract, asker = probe
    with boa.env.prank(asker), boa.reverts("cloister: balance below the request fee"):
        contract.askEmbed(EMBED, "x", value=contract.fee(EMBED) - 1)


def test_kit_claims_a_timed_out_refund_and_withdraws_it(probe):
    world, node, contract, asker = probe
    fee = contract.fee(EMBED)
    requests = []
    with boa.env.prank(asker):
        contract.askEmbed(EMBED, "nobody answers", value=fee)
        requests.append(last_request(world, contract._computation)[1])
        contract.askSimilarity(SIMILARITY, "nobody", "answers", value=fee)
        requests.append(last_request(world, contract._computation)[1])
    with boa.reverts("refund: deadline not passed"):
        contract.reclaim(requests[0])
    boa.env.time_travel(seconds=601)
    world.core.refund(requests[1])  # anyone may refund: the fee is credited to the consumer, the requester
    assert world.core.credits(contract.address) == fee
    contract.reclaim(requests[0])  # claims the first, finds the second already refunded; pulls both
    assert contract.withdrawn() == 2 * fee and boa.env.get_balance(contract.address) == 2 * fee
    assert world.core.credits(contract.address) == 0
    contract.reclaim(requests[1])  # already refunded and nothing left to withdraw: a no-op, not a revert
    assert contract.withdrawn() == 2 * fee and world.accounted_ok()


def test_example_consumer_asks_with_labels_returns_surplus_and_decodes_best(world):
    node = world.register()
    consumer = K.factory("examples/ZeroShotClassifier.vy").deploy(world.core.address, K.MODEL)
    asker = boa.env.generate_address()
    world.fund(asker)
    fee = consumer.fee()
    before = boa.env.get_balance(asker)
    with boa.env.prank(asker):
        rid = consumer.askLabels("rates rose again", ["finance", "sport"], 600, value=fee + 12345)
    assert boa.env.get_balance(asker) == before - fee  # the surplus came back at once
    event, req = last_request(world, consumer._computation)
    assert event.input == eth_abi.encode(["string", "string[]"], ["rates rose again", ["finance", "sport"]])
    with boa.reverts("no answer"):
        consumer.best(rid)
    world.fulfil(req, world.sign_result(node, req, output=eth_abi.encode(["uint256", "int256[]"], [1, [5, 9]])))
    assert consumer.best(rid) == 1 and consumer.answers(rid).answered


# ---- interface files against the compiled ABI ------------------------------------------------------
def compiled_abi(relative: str) -> list[dict]:
    return build_abi_output(K.factory(relative).compiler_data)


def abi_type(item: dict) -> str:
    if item["type"].startswith("tuple"):
        return "(" + ",".join(abi_type(c) for c in item["components"]) + ")" + item["type"][5:]
    return item["type"]


def signature(item: dict) -> str:
    return f"{item['name']}({','.join(abi_type(i) for i in item['inputs'])})"


def abi_index(abi: list[dict]) -> tuple[dict, dict]:
    """{selector: function} and {topic: event} of an ABI."""
    functions = {keccak(text=signature(f))[:4]: f for f in abi if f["type"] == "function"}
    events = {keccak(text=signature(e)): e for e in abi if e["type"] == "event"}
    return functions, events


def fields(part: dict) -> list[tuple[str, str]]:
    return [(abi_type(c), c["name"]) for c in part["components"]]


CORE_ABI = compiled_abi("Cloister.vy")
CORE_FUNCTIONS, CORE_EVENTS = abi_index(CORE_ABI)


def vyi_abi_index(relative: str) -> tuple[dict, dict]:
    """{selector: function} and {topic: event} of a .vyi interface file under contracts/."""
    from vyper.compiler import compile_from_file_input
    from vyper.compiler.input_bundle import FilesystemInputBundle

    bundle = FilesystemInputBundle([K.ROOT])
    file = bundle.load_file(K.CONTRACTS / relative)
    return abi_index(compile_from_file_input(file, input_bundle=bundle, output_formats=["abi"])["abi"])


def assert_interface_is_abi(functions: dict, events: dict, compiled: tuple[dict, dict], name: str) -> None:
    """Every function of an interface is the compiled contract's by selector, mutability, outputs and their
    field names; every event by topic and its fields' names and indexing."""
    compiled_functions, compiled_events = compiled
    for selector, f in functions.items():
        assert selector in compiled_functions, f"{signature(f)} is not a function of {name}"
        real = compiled_functions[selector]
        assert f["stateMutability"] == real["stateMutability"], signature(f)
        assert [abi_type(o) for o in f["outputs"]] == [abi_type(o) for o in real["outputs"]], signature(f)
        assert [c["name"] for o in f["outputs"] for c in o.get("components", [])] == \
            [c["name"] for o in real["outputs"] for c in o.get("components", [])], signature(f)
    for topic, e in events.items():
        assert topic in compiled_events, f"event {e['name']} is not emitted by {name}"
        assert [(i["name"], i["indexed"]) for i in e["inputs"]] == \
            [(i["name"], i["indexed"]) for i in compiled_events[topic]["inputs"]], e["name"]


def test_icloister_vyi_is_the_cores_abi():
    functions, events = vyi_abi_index("interfaces/ICloister.vyi")
    assert len(functions) == 15 and len(events) == 6
    assert_interface_is_abi(functions, events, (CORE_FUNCTIONS, CORE_EVENTS), "Cloister.vy")


# ---- Solidity, parsed ------------------------------------------------------------------------------
def contract(ast: dict, name: str) -> dict:
    return next(c for c in ast["children"] if c["type"] == "ContractDefinition" and c["name"] == name)


def sol_type(node: dict, structs: dict) -> str:
    kind = node["type"]
    if kind == "ElementaryTypeName":
        return {"uint": "uint256", "int": "int256"}.get(node["name"], node["name"])
    if kind == "ArrayTypeName":
        return sol_type(node["baseTypeName"], structs) + "[]"
    if kind == "UserDefinedTypeName":
        name = node["namePath"].split(".")[-1]
        return "(" + ",".join(t for t, _ in structs[name]) + ")"
    raise AssertionError(f"unexpected Solidity type {node}")


def sol_structs(definition: dict) -> dict[str, list[tuple[str, str]]]:
    structs: dict = {}
    for part in definition["subNodes"]:
        if part["type"] == "StructDefinition":
            structs[part["name"]] = [(sol_type(m["typeName"], structs), m["name"]) for m in part["members"]]
    return structs


def sol_params(node: dict | None, structs) -> list[tuple[str, str | None]]:
    return [(sol_type(p["typeName"], structs), p.get("name")) for p in (node or {}).get("parameters", [])]


ICLOISTER_SOL = K.CONTRACTS / "interfaces/ICloister.sol"
KIT_SOL = K.CONTRACTS / "kits/CloisterConsumer.sol"


def test_icloister_sol_functions_match_the_core_selector_by_selector():
    definition = contract(parse_solidity(ICLOISTER_SOL), "ICloister")
    structs = sol_structs(definition)
    functions = [p for p in definition["subNodes"] if p["type"] == "FunctionDefinition"]
    assert len(functions) == 15
    for f in functions:
        inputs = sol_params(f["parameters"], structs)
        selector = keccak(text=f"{f['name']}({','.join(t for t, _ in inputs)})")[:4]
        assert selector in CORE_FUNCTIONS, f"ICloister.sol {f['name']}: selector 0x{selector.hex()} not in Cloister.vy"
        core = CORE_FUNCTIONS[selector]
        mutability = f["stateMutability"] or "nonpayable"
        assert mutability == core["stateMutability"], f["name"]
        assert [t for t, _ in sol_params(f["returnParameters"], structs)] == [abi_type(o) for o in core["outputs"]], f["name"]


def test_icloister_sol_events_match_the_core_topic_by_topic():
    definition = contract(parse_solidity(ICLOISTER_SOL), "ICloister")
    events = [p for p in definition["subNodes"] if p["type"] == "EventDefinition"]
    assert len(events) == 6
    for e in events:
        params = e["parameters"]["parameters"]
        types = [sol_type(p["typeName"], {}) for p in params]
        topic = keccak(text=f"{e['name']}({','.join(types)})")
        assert topic in CORE_EVENTS, f"ICloister.sol event {e['name']}: topic 0x{topic.hex()} not emitted by Cloister.vy"
        assert [(p["name"], bool(p["isIndexed"])) for p in params] == \
            [(i["name"], i["indexed"]) for i in CORE_EVENTS[topic]["inputs"]], e["name"]


def test_icloister_sol_structs_match_field_by_field():
    structs = sol_structs(contract(parse_solidity(ICLOISTER_SOL), "ICloister"))
    by_name = {f["name"]: f for f in CORE_ABI if f["type"] == "function"}
    compiled = {"Request": fields(by_name["refund"]["inputs"][0]), "Fulfilment": fields(by_name["settle"]["inputs"][1]),
                "Model": fields(by_name["models"]["outputs"][0]), "Node": fields(by_name["nodes"]["outputs"][0]),
                "Params": fields(by_name["params"]["outputs"][0])}
    assert set(structs) == set(compiled)
    for name, members in structs.items():
        assert members == compiled[name], name


def test_consumer_callback_selector_is_the_one_the_core_calls():
    results = (K.CONTRACTS / "lib/results.vy").read_text()
    called = re.search(r'method_id\("(cloisterCallback\([^"]*\))"', results).group(1)
    consumer = contract(parse_solidity(ICLOISTER_SOL), "ICloisterConsumer")
    (f,) = [p for p in consumer["subNodes"] if p["type"] == "FunctionDefinition"]
    assert f"{f['name']}({','.join(t for t, _ in sol_params(f['parameters'], {}))})" == called
    example = compiled_abi("examples/ZeroShotClassifier.vy")
    assert called in {signature(x) for x in example if x["type"] == "function"}


def test_solidity_kit_is_the_twin_of_the_vyper_kit():
    ast = parse_solidity(KIT_SOL)
    kit = contract(ast, "CloisterConsumer")
    imported = contract(parse_solidity(ICLOISTER_SOL), "ICloister")
    structs = sol_structs(imported)
    functions = {p["name"]: p for p in kit["subNodes"] if p["type"] == "FunctionDefinition"}
    # the request helpers take each task's declared input, in order, between model and callbackGas
    for task, helper in [("embed", "_requestEmbed"), ("similarity", "_requestSimilarity"), ("classify", "_requestClassify")]:
        params = sol_params(functions[helper]["parameters"], structs)
        assert [t for t, _ in params[1:-2]] == declared(task, "input"), helper
        assert (params[0][0], params[-2][1], params[-1][1]) == ("bytes32", "callbackGas", "answerWithin"), helper
    # decoders return each task's declared output
    for task, helper in [("embed", "_decodeEmbedding"), ("similarity", "_decodeSimilarity"), ("classify", "_decodeClassify")]:
        assert [t for t, _ in sol_params(functions[helper]["returnParameters"], structs)] == declared(task, "output"), helper
    # the callback it exposes is the one the core calls; every call on the core is an ICloister function
    callback = functions["cloisterCallback"]
    assert [t for t, _ in sol_params(callback["parameters"], structs)] == ["bytes32", "uint8", "bytes"]
    assert callback["visibility"] == "external"
    source = KIT_SOL.read_text()
    interface_names = {p["name"] for p in imported["subNodes"] if p["type"] == "FunctionDefinition"}
    used = set(re.findall(r"CLOISTER\.(\w+)[({]", source))
    assert used and used <= interface_names, used - interface_names
    # the same revert reasons as the Vyper kit, so a failing call reads the same in either language
    vyper = (K.CONTRACTS / "kits/cloister_consumer.vy").read_text()
    reasons = set(re.findall(r'"(cloister: [^"]+)"', vyper))
    assert reasons == set(re.findall(r'"(cloister: [^"]+)"', source)) - {"cloister: input too large"}


def test_deploy_records_each_models_task_and_encodings():
    model = "0x" + "ab" * 32
    assert parse_model(f"{model}:1000") == (bytes.fromhex("ab" * 32), 1000, True, None)
    assert parse_model(f"{model}:1000:classify") == (bytes.fromhex("ab" * 32), 1000, True, "classify")
    assert parse_model(f"{model}:7:nondeterministic:chat")[2:] == (False, "chat")
    from deploy import model_record
    assert model_record(parse_model(f"{model}:1000:classify")) == {
        "id": model, "fee": 1000, "deterministic": True, "task": "classify",
        "input": "abi.encode(string text, string[] labels)", "output": "abi.encode(uint256 best, int256[] scores)"}
    for bad in (f"{model}:1000:summarise", f"{model}:1000:classify:embed", f"{model}"):
        with pytest.raises(Exception):
            parse_model(bad)
