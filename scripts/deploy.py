"""Compile and deploy the Cloister contracts to a JSON-RPC endpoint; write deployments/<chainId>.json.

    .venv/bin/python scripts/deploy.py --rpc http://127.0.0.1:8545 --key 0x... \
        [--committee 0xA,0xB,0xC --threshold 2] [--model ID:FEE_WEI[:nondeterministic][:TASK]] [--workload ID]
        [--governed | --not-governed]

TASK (embed, similarity, classify, chat) names the task a model serves; the record then says, for that
model, how a request's input and the result's output are encoded (TASK_ENCODINGS below, from the engine:
docs/inference.md), so a dApp developer can tell from the deployment file alone what to send.

With no --committee, the deployer alone forms a 1-of-1 committee (for local development).
Governance.vy is always deployed; on any chain but the local ones (31337, 1337) it becomes the owner
of the core, the admission contract and the committee (the deployer owns Governance), so every
change that can hurt stakers waits out the unbonding period. --not-governed keeps the deployer as the
direct owner (local development and tests); --governed forces Governance on a local chain.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cloister_chain import ROOT, Contract, Rpc, Signer, compile_contract, view  # noqa: E402

CONTRACT_FILES = {
    "CommitteeVerifier": "CommitteeVerifier.vy",
    "Admission": "Admission.vy",
    "Cloister": "Cloister.vy",
    "WrapCheck": "WrapCheck.vy",
    "Arbiter": "Arbiter.vy",
    "Governance": "Governance.vy",
    "ModelVault": "ModelVault.vy",
}
LOCAL_CHAINS = {31337, 1337}

# How each task's request input and result output are encoded (the engine's canonical bytes,
# docs/inference.md). The kits' request helpers and decoders, the Python client and the quickstart
# table in docs/contracts.md are checked against this table.
TASK_ENCODINGS = {
    "embed": {"input": "abi.encode(string text)",
              "output": "abi.encode(bytes embedding)"},
    "similarity": {"input": "abi.encode(string a, string b)",
                   "output": "abi.encode(int256 similarity)"},
    "classify": {"input": "abi.encode(string text, string[] labels)",
                 "output": "abi.encode(uint256 best, int256[] scores)"},
    "generate": {"input": "abi.encode(string prompt, uint256 maxTokens, string[] stop)",
                 "output": "abi.encode(string text, uint256 tokens, bool finished)"},
    "score": {"input": "abi.encode(string prompt, string[] completions)",
              "output": "abi.encode(uint256 best, int256[] scores)"},
    "chat": {"input": "abi.encode(string prompt)",
             "output": "abi.encode(string content, string finishReason)"},
}


def parse_model(text: str) -> tuple[bytes, int, bool, str | None]:
    parts = text.split(":")
    options = parts[2:]
    deterministic = "nondeterministic" not in options
    tasks = [o for o in options if o in TASK_ENCODINGS]
    if len(parts) < 2 or len(options) > 2 or len(tasks) + (not deterministic) != len(options) or len(tasks) > 1:
        raise argparse.ArgumentTypeError("expected ID:FEE_WEI[:nondeterministic][:TASK] with TASK one of "
                                         + ", ".join(TASK_ENCODINGS))
    return bytes32(parts[0]), int(parts[1]), deterministic, tasks[0] if tasks else None


def model_record(model: tuple) -> dict:
    """A model's entry in the deployment record: id, fee, determinism and, when its task is known, the
    task with its input and output encodings."""
    model_id, fee, deterministic, task = (*model, None)[:4]
    entry = {"id": "0x" + model_id.hex(), "fee": fee, "deterministic": deterministic}
    if task is not None:
        entry.update({"task": task, **TASK_ENCODINGS[task]})
    return entry


def bytes32(text: str) -> bytes:
    raw = bytes.fromhex(text.removeprefix("0x"))
    if len(raw) != 32:
        raise argparse.ArgumentTypeError(f"expected 32 bytes of hex, got {len(raw)}")
    return raw


def deploy(rpc: Rpc, signer: Signer, members: list[str], threshold: int,
           models: list[tuple] = (), workloads: list[bytes] = (),
           governed: bool | None = None) -> dict:
    """Deploy committee, admission, core, wrap check, arbiter, governance and the model vault, link them, configure models
    and workloads, and (by default on any non-local chain) hand ownership to Governance; return the record.
    Each model is (id, fee, deterministic) or (id, fee, deterministic, task)."""
    compiled = {name: compile_contract(path) for name, path in CONTRACT_FILES.items()}
    committee, r_committee = signer.deploy(compiled["CommitteeVerifier"], ["address[]", "uint256"], [members, threshold])
    admission, r_admission = signer.deploy(compiled["Admission"], ["address"], [committee.address])
    core, r_core = signer.deploy(compiled["Cloister"], ["address"], [admission.address])
    wrap_check, r_wrap = signer.deploy(compiled["WrapCheck"], [], [])
    arbiter, r_arbiter = signer.deploy(compiled["Arbiter"], ["address", "address"], [core.address, wrap_check.address])
    governance, r_governance = signer.deploy(compiled["Governance"], ["address"], [core.address])
    # sealed models, their keys and privacy budgets (issue 18); it has no owner of its own
    vault, r_vault = signer.deploy(compiled["ModelVault"], ["address"], [core.address])
    signer.transact(core, "setArbiter", arbiter.address)
    for model_id, fee, deterministic, *_ in models:
        signer.transact(core, "setModel", model_id, fee, deterministic, True)
    for workload in workloads:
        signer.transact(admission, "setWorkload", workload, True)
    if governed is None:
        governed = signer.chain_id not in LOCAL_CHAINS
    if governed:  # the last direct act of the deployer: from here on, changes wait out the unbonding period
        for contract in (core, admission, committee):
            signer.transact(contract, "transferOwnership", governance.address)
            signer.transact(governance, "execute", contract.address, bytes.fromhex(contract.calldata("acceptOwnership")[2:]))
    params_abi = next(f for f in core.abi if f.get("name") == "params")["outputs"][0]["components"]
    values = view(rpc, core, "params")
    receipts = {"CommitteeVerifier": r_committee, "Admission": r_admission, "Cloister": r_core, "WrapCheck": r_wrap,
                "Arbiter": r_arbiter, "Governance": r_governance, "ModelVault": r_vault}
    contracts = {"CommitteeVerifier": committee, "Admission": admission, "Cloister": core, "WrapCheck": wrap_check,
                 "Arbiter": arbiter, "Governance": governance, "ModelVault": vault}
    return {
        "chainId": signer.chain_id,
        "deployer": signer.address,
        "owner": governance.address if governed else signer.address,
        "deploymentBlock": int(r_committee["blockNumber"], 16),
        "eip712": {"name": "Cloister", "version": "2", "verifyingContract": core.address},
        "contracts": {
            name: {"address": c.address, "block": int(receipts[name]["blockNumber"], 16),
                   "transactionHash": receipts[name]["transactionHash"], "abi": compiled[name]["abi"]}
            for name, c in contracts.items()
        },
        "params": {p["name"]: v for p, v in zip(params_abi, values)},
        "committee": {"members": members, "threshold": threshold},
        "models": [model_record(m) for m in models],
        "workloads": ["0x" + w.hex() for w in workloads],
    }


def contracts_from(record: dict) -> dict[str, Contract]:
    return {name: Contract(c["address"], c["abi"]) for name, c in record["contracts"].items()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rpc", required=True, help="JSON-RPC URL")
    parser.add_argument("--key", required=True, help="deployer private key (hex); becomes the owner")
    parser.add_argument("--out", type=Path, help="output file (default deployments/<chainId>.json)")
    parser.add_argument("--committee", help="comma-separated committee member addresses")
    parser.add_argument("--threshold", type=int, default=1, help="signatures required (m of n)")
    parser.add_argument("--model", action="append", type=parse_model, default=[], help="ID:FEE_WEI[:nondeterministic][:TASK]")
    parser.add_argument("--workload", action="append", type=bytes32, default=[], help="allowed workload id")
    ownership = parser.add_mutually_exclusive_group()
    ownership.add_argument("--governed", dest="governed", action="store_true", default=None,
                           help="hand ownership to Governance (the default on non-local chains)")
    ownership.add_argument("--not-governed", dest="governed", action="store_false",
                           help="keep the deployer as the direct owner (local development)")
    args = parser.parse_args(argv)
    rpc = Rpc(args.rpc)
    try:
        signer = Signer(rpc, bytes.fromhex(args.key.removeprefix("0x")))
    except ValueError as error:
        print(f"deploy: bad --key: {error}", file=sys.stderr)
        return 2
    members = args.committee.split(",") if args.committee else [signer.address]
    try:
        record = deploy(rpc, signer, members, args.threshold, args.model, args.workload, args.governed)
    except Exception as error:  # one clear line for any RPC, compile or revert failure
        print(f"deploy: {error}", file=sys.stderr)
        return 1
    out = args.out or ROOT / "deployments" / f"{record['chainId']}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(record, indent=2) + "\n")
    for name, c in record["contracts"].items():
        print(f"{name}: {c['address']}")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
