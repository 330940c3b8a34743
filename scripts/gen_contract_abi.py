"""Writes fixtures/contracts/cloister_abi.json, arbiter_abi.json and model_vault_abi.json: the settlement
contract's, the arbiter's and the model vault's ABI as the Vyper compiler emits them, so the Swift node's hand-written call and event signatures
are checked against the compiler rather than against themselves. Rerun after changing the contracts."""
import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


CONTRACTS = {"Cloister.vy": "cloister_abi.json", "Arbiter.vy": "arbiter_abi.json", "ModelVault.vy": "model_vault_abi.json"}


def main() -> None:
    vyper = pathlib.Path(sys.executable).parent / "vyper"
    for source, name in CONTRACTS.items():
        abi = subprocess.run([str(vyper), "-f", "abi", f"contracts/{source}"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout
        out = ROOT / "fixtures" / "contracts" / name
        out.write_text(json.dumps(json.loads(abi), indent=1) + "\n")
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
