"""The deployment file `scripts/deploy.py` writes (`deployments/<chainId>.json`; the demo writes STATE/deployment.json)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ModelEntry:
    """A model as the deployment file records it; `task`, `input` and `output` are there when the deployer
    named the model's task (scripts/deploy.py --model ID:FEE:TASK)."""

    id: bytes
    fee: int
    deterministic: bool
    task: str | None = None
    input: str | None = None  # e.g. "abi.encode(string text, string[] labels)"
    output: str | None = None


@dataclass(frozen=True)
class Deployment:
    chain_id: int
    deployment_block: int
    contracts: dict  # name -> {"address", "abi", ...}
    models: list[ModelEntry]
    params: dict
    path: Path | None = None

    @classmethod
    def load(cls, path: str | Path) -> Deployment:
        path = Path(path)
        try:
            record = json.loads(path.read_text())
        except (OSError, ValueError) as error:
            raise ValueError(f"cannot read the deployment file {path}: {error}") from None
        models = [ModelEntry(bytes.fromhex(m["id"].removeprefix("0x")), int(m["fee"]), bool(m["deterministic"]),
                             m.get("task"), m.get("input"), m.get("output")) for m in record.get("models", [])]
        return cls(int(record["chainId"]), int(record["deploymentBlock"]), record["contracts"], models,
                   record.get("params", {}), path)

    def address(self, name: str) -> str:
        return self.contracts[name]["address"]

    def abi(self, name: str) -> list:
        return self.contracts[name]["abi"]

    def model_for(self, task: str) -> ModelEntry:
        """The model serving `task` (raises if the file names none)."""
        found = [m for m in self.models if m.task == task]
        if not found:
            named = sorted({m.task for m in self.models if m.task})
            raise ValueError(f"the deployment names no model for task {task!r} (tasks: {', '.join(named) or 'none'})")
        return found[0]
