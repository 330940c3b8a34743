"""The Solidity interface in docs/contracts.md must match the compiled contracts' ABI."""
import re

import pytest
from vyper.compiler.output import build_abi_output

import cloister_kit as K

DOC = (K.ROOT / "docs" / "contracts.md").read_text()
SOLIDITY = re.search(r"```solidity\n(.*?)```", DOC, re.S).group(1)


def interface_body(name: str) -> str:
    match = re.search(r"interface " + name + r" \{(.*?)\n\}", SOLIDITY, re.S)
    assert match, f"interface {name} missing from docs/contracts.md"
    return match.group(1)


def structs(body: str) -> dict[str, list[str]]:
    found = {}
    for name, fields in re.findall(r"struct (\w+) \{(.*?)\}", body, re.S):
        found[name] = [line.strip().rstrip(";").split()[0] for line in fields.strip().splitlines()]
    return found


def canonical(solidity_type: str, known: dict[str, list[str]]) -> str:
    base, suffix = re.match(r"(\w+)((?:\[\])*)", solidity_type).groups()
    if base in known:
        return "(" + ",".join(canonical(t, known) for t in known[base]) + ")" + suffix
    return base + suffix


def params(text: str, known) -> list[str]:
    text = text.strip()
    if not text:
        return []
    return [canonical(p.split()[0], known) for p in text.split(",")]


def doc_functions(name: str) -> dict[str, tuple[list[str], str, list[str]]]:
    body = interface_body(name)
    known = structs(body)
    out = {}
    for fname, args, rest in re.findall(r"function (\w+)\((.*?)\)([^;]*);", body):
        mutability = "payable" if "payable" in rest else "view" if " view" in rest else "nonpayable"
        returns = re.search(r"returns \((.*?)\)\s*$", rest.strip())
        out[fname] = (params(args, known), mutability, params(returns.group(1), known) if returns else [])
    return out, known


def abi_type(item: dict) -> str:
    if item["type"].startswith("tuple"):
        return "(" + ",".join(abi_type(c) for c in item["components"]) + ")" + item["type"][5:]
    return item["type"]


def abi_functions(factory) -> dict:
    abi = build_abi_output(factory.compiler_data)
    out = {}
    for f in abi:
        if f["type"] == "function":
            outputs = [abi_type(o) for o in f["outputs"]]
            if len(outputs) == 1 and outputs[0].startswith("(") and len(f["outputs"][0].get("components", [])) > 0:
                outputs = [outputs[0]]
            out[f["name"]] = ([abi_type(i) for i in f["inputs"]], f["stateMutability"], outputs)
    return out, [e for e in abi if e["type"] == "event"]


@pytest.mark.parametrize("interface,contract", [("ICloister", "Cloister.vy"), ("ICloisterConsumer", "examples/ZeroShotClassifier.vy")])
def test_documented_functions_match_abi(interface, contract):
    documented, _ = doc_functions(interface)
    compiled, _ = abi_functions(K.factory(contract))
    assert documented, "no functions parsed"
    for name, (inputs, mutability, outputs) in documented.items():
        assert name in compiled, f"{name} is not in {contract}'s ABI"
        c_inputs, c_mutability, c_outputs = compiled[name]
        assert inputs == c_inputs, (name, inputs, c_inputs)
        assert mutability == c_mutability, (name, mutability, c_mutability)
        if name != "cloisterCallback":
            assert outputs == c_outputs, (name, outputs, c_outputs)


def test_documented_events_match_abi():
    body = interface_body("ICloister")
    _, events = abi_functions(K.factory("Cloister.vy"))
    by_name = {e["name"]: e for e in events}
    for name, args in re.findall(r"event (\w+)\((.*?)\);", body):
        assert name in by_name, name
        documented = [(a.split()[0], "indexed" in a.split(), a.split()[-1]) for a in args.split(",")]
        compiled = [(abi_type(i), i["indexed"], i["name"]) for i in by_name[name]["inputs"]]
        assert documented == compiled, (name, documented, compiled)
