"""Compile and deploy the Cloister contracts to a JSON-RPC endpoint; write deployments/<chainId>.json.

    .venv/bin/python scripts/deploy.py --rpc http://127.0.0.1:8545 --key 0x... \
        [--committee 0xA,0xB,0xC --threshold 2] [--model ID:FEE_WEI[:nondeterministic]] [--workload ID]

With no --committee, the deployer alone forms a 1-of-1 committee (for local development).
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
    "Arbiter": "Arbiter.vy",
}


def parse_model(text: str) -> tuple[bytes, int, bool]:
    parts = text.split(":")
    if len(parts) not in (2, 3) or (len(parts) == 3 and parts[2] != "nondeterministic"):
        raise argparse.ArgumentTypeError("expected ID:FEE_WEI or ID:FEE_WEI:nondeterministic")
    return bytes32(parts[0]), int(parts[1]), len(parts) == 2


def bytes32(text: str) -> bytes:
    raw = bytes.fromhex(text.removeprefix("0x"))
    if len(raw) != 32:
        raise argparse.ArgumentTypeError(f"expected 32 bytes of hex, got {len(raw)}")
    return raw


def deploy(rpc: Rpc, signer: Signer, members: list[str], threshold: int,
           models: list[tuple[bytes, int, bool]] = (), workloads: list[bytes] = ()) -> dict:
    """Deploy committee, admission, core and arbiter, link them, configure models and workloads; return the record."""
    compiled = {name: compile_contract(path) for name, path in CONTRACT_FILES.items()}
    committee, r_committee = signer.deploy(compiled["CommitteeVerifier"], ["address[]", "uint256"], [members, threshold])
    admission, r_admission = signer.deploy(compiled["Admission"], ["address"], [committee.address])
    core, r_core = signer.deploy(compiled["Cloister"], ["address"], [admission.address])
    arbiter, r_arbiter = signer.deploy(compiled["Arbiter"], ["address"], [core.address])
    signer.transact(core, "setArbiter", arbiter.address)
    for model_id, fee, deterministic in models:
        signer.transact(core, "setModel", model_id, fee, deterministic, True)
    for workload in workloads:
        signer.transact(admission, "setWorkload", workload, True)
    params_abi = next(f for f in core.abi if f.get("name") == "params")["outputs"][0]["components"]
    values = view(rpc, core, "params")
    receipts = {"CommitteeVerifier": r_committee, "Admission": r_admission, "Cloister": r_core, "Arbiter": r_arbiter}
    contracts = {"CommitteeVerifier": committee, "Admission": admission, "Cloister": core, "Arbiter": arbiter}
    return {
        "chainId": signer.chain_id,
        "deployer": signer.address,
        "deploymentBlock": int(r_committee["blockNumber"], 16),
        "eip712": {"name": "Cloister", "version": "1", "verifyingContract": core.address},
        "contracts": {
            name: {"address": c.address, "block": int(receipts[name]["blockNumber"], 16),
                   "transactionHash": receipts[name]["transactionHash"], "abi": compiled[name]["abi"]}
            for name, c in contracts.items()
        },
        "params": {p["name"]: v for p, v in zip(params_abi, values)},
        "committee": {"members": members, "threshold": threshold},
        "models": [{"id": "0x" + m.hex(), "fee": f, "deterministic": d} for m, f, d in models],
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
    parser.add_argument("--model", action="append", type=parse_model, default=[], help="ID:FEE_WEI[:nondeterministic]")
    parser.add_argument("--workload", action="append", type=bytes32, default=[], help="allowed workload id")
    args = parser.parse_args(argv)
    rpc = Rpc(args.rpc)
    try:
        signer = Signer(rpc, bytes.fromhex(args.key.removeprefix("0x")))
    except ValueError as error:
        print(f"deploy: bad --key: {error}", file=sys.stderr)
        return 2
    members = args.committee.split(",") if args.committee else [signer.address]
    try:
        record = deploy(rpc, signer, members, args.threshold, args.model, args.workload)
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
