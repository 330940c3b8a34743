"""Writes fixtures/contracts/cloister_abi.json: the settlement contract's ABI as the Vyper compiler
emits it, so the Swift node's hand-written call and event signatures are checked against the compiler
rather than against themselves. Rerun after changing contracts/Cloister.vy."""
import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def main() -> None:
    vyper = pathlib.Path(sys.executable).parent / "vyper"
    abi = subprocess.run([str(vyper), "-f", "abi", "contracts/Cloister.vy"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    out = ROOT / "fixtures" / "contracts" / "cloister_abi.json"
    out.write_text(json.dumps(json.loads(abi), indent=1) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
