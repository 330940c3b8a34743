"""The `cloister` binary as the dev network uses it: one-shot commands, model ids, the workload id.

The binary is `$CLOISTER_BIN`, else `.build/debug/cloister` (what `make demo` builds). The test-only
`cloister-adversary` (a node whose engine is wrong on purpose) is `$CLOISTER_ADVERSARY_BIN`, else
`.build/debug/cloister-adversary`.
"""
from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

import eth_abi
from cloister_signing import workload_id

from . import ROOT, DevnetError

TASKS = ("embed", "similarity", "classify")
LLM_TASKS = ("generate", "score")  # the embedded LLM's (models.llm_file)
SIMULATION_ACKNOWLEDGEMENT = "simulated attestation proves nothing"


def default_binary() -> Path:
    return Path(os.environ.get("CLOISTER_BIN", ROOT / ".build/debug/cloister"))


def adversary_binary() -> Path:
    """The cheating node's executable; raises DevnetError if it is not there."""
    path = Path(os.environ.get("CLOISTER_ADVERSARY_BIN", ROOT / ".build/debug/cloister-adversary")).absolute()
    if not os.access(path, os.X_OK):
        raise DevnetError(f"no cloister-adversary binary at {path} (build it with "
                          "`swift build --product cloister-adversary` or set CLOISTER_ADVERSARY_BIN)")
    return path


class Cloister:
    """Runs `cloister` subcommands; a failure raises DevnetError naming the step and quoting stderr."""

    def __init__(self, path: Path | None = None):
        self.path = (Path(path) if path else default_binary()).absolute()

    def check(self) -> None:
        if not os.access(self.path, os.X_OK):
            raise DevnetError(f"no cloister binary at {self.path} (build it with `swift build --product cloister` "
                              "or set CLOISTER_BIN)")

    def argv(self, *args) -> list[str]:
        return [str(self.path), *(str(a) for a in args)]

    def run(self, step: str, *args, timeout: float = 120.0) -> str:
        """stdout of `cloister ARGS`; raises DevnetError("STEP: …") if it fails."""
        result = subprocess.run(self.argv(*args), cwd=ROOT, capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            command = " ".join(["cloister", *(str(a) for a in args)])
            raise DevnetError(f"{step}: `{command}` exited with status {result.returncode}: "
                              f"{(result.stderr or result.stdout).strip()}")
        return result.stdout

    def model_ids(self) -> dict[str, bytes]:
        """The model id of each task, as the engine computes it (`cloister infer --json`)."""
        examples = {"embed": ["--text", "x"], "similarity": ["--text", "x", "--text2", "y"],
                    "classify": ["--text", "x", "--labels", "a,b"], "generate": ["--text", "x", "--max-tokens", "1"],
                    "score": ["--text", "x", "--completion", "y"]}
        return {task: bytes.fromhex(json.loads(self.run(f"model id of {task}", "infer", "--task", task, *examples[task],
                                                        "--json"))["model_id"][2:])
                for task in TASKS + LLM_TASKS}

    def reference_output(self, task: str, payload: bytes) -> bytes:
        """The output a node must post for a well-formed request: `payload` (the task's canonical ABI input)
        decoded and run through `cloister infer --json`."""
        if task == "embed":
            (text,) = eth_abi.decode(["string"], payload)
            args = ["--text", text]
        elif task == "similarity":
            text, other = eth_abi.decode(["string", "string"], payload)
            args = ["--text", text, "--text2", other]
        elif task == "classify":
            text, labels = eth_abi.decode(["string", "string[]"], payload)
            args = ["--text", text, "--labels", ",".join(labels)]
        elif task == "generate":
            prompt, max_tokens, stops = eth_abi.decode(["string", "uint256", "string[]"], payload)
            args = ["--text", prompt, "--max-tokens", max_tokens, *[a for stop in stops for a in ("--stop", stop)]]
        else:
            prompt, completions = eth_abi.decode(["string", "string[]"], payload)
            args = ["--text", prompt, *[a for completion in completions for a in ("--completion", completion)]]
        output = json.loads(self.run(f"reference output of {task}", "infer", "--task", task, *args, "--json"))["output"]
        return bytes.fromhex(output[2:])

    def workload_id(self, seed: str, chain_id: int) -> bytes:
        """The simulated TEE's workload id for `seed`: keccak256(MRTD ‖ RTMR0..3) of a quote it writes."""
        with tempfile.TemporaryDirectory(prefix="cloister-workload-") as folder:
            self.run("simulated workload id", "attest", "simulate", "--seed", seed, "--chain-id", chain_id,
                     "--acknowledge", SIMULATION_ACKNOWLEDGEMENT, "--report-data", "00" * 64,
                     "--issued", int(time.time()), "--out", folder)
            quote = (Path(folder) / "quote").read_bytes()
        if len(quote) < 632 or quote[4] != 0x81:
            raise DevnetError("simulated workload id: `cloister attest simulate` did not write a TDX quote")
        return workload_id(quote)

    def simulated_trust(self, seed: str, chain_id: int, folder: Path) -> Path:
        """Writes `root_ca.pem` and `collateral.json` of the simulated TEE for `seed` into `folder`: what a
        requester outside Swift (the Python client) verifies the nodes' simulated quotes against. Keys and
        certificates follow the seed; the collateral is valid for 30 days from now."""
        folder.mkdir(parents=True, exist_ok=True)
        self.run("simulated trust anchor", "attest", "simulate", "--seed", seed, "--chain-id", chain_id,
                 "--acknowledge", SIMULATION_ACKNOWLEDGEMENT, "--report-data", "00" * 64,
                 "--issued", int(time.time()) - 60, "--out", folder)
        (folder / "quote").unlink(missing_ok=True)  # a quote of nobody's key: only the anchor and collateral matter
        return folder

    def import_key(self, private_key: bytes, keystore: Path, password_file: Path) -> str:
        """Encrypts a dev key into a new keystore (light scrypt: these keys are public anyway); returns its address."""
        key_file = keystore.with_name(keystore.name + ".key")
        key_file.touch(mode=0o600)
        try:
            key_file.write_text(private_key.hex())
            out = self.run(f"keystore {keystore.name}", "key", "import", "--private-key-file", key_file,
                           "--keystore", keystore, "--password-file", password_file, "--light-kdf")
        finally:
            key_file.unlink()
        return out.strip().splitlines()[-1]

    def key_address(self, keystore: Path, password_file: Path) -> str:
        out = self.run(f"keystore {keystore.name}", "key", "address", "--keystore", keystore,
                       "--password-file", password_file)
        return out.strip().splitlines()[-1]
