"""The contracts of the dev network: `scripts/deploy.py`'s four, the three models, and the example consumer."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from cloister_chain import Contract, compile_contract, view
from deploy import contracts_from, deploy

from . import DevnetError
from .accounts import OWNER
from .chain import Chain

MODEL_FEE = 10**15  # 0.001 ether for every task


@dataclass
class Deployment:
    """The deployed system: its record (`deployments/<chainId>.json` format) and where it was written."""

    record: dict
    path: Path
    models: dict[str, bytes]  # task -> model id
    consumer: Contract  # examples/ZeroShotClassifier.vy, asking the classify model

    @property
    def core(self) -> Contract:
        return contracts_from(self.record)["Cloister"]

    @property
    def arbiter(self) -> Contract:
        return contracts_from(self.record)["Arbiter"]

    @property
    def vault(self) -> Contract:
        return contracts_from(self.record)["ModelVault"]

    @property
    def block(self) -> int:
        return self.record["deploymentBlock"]

    def fee(self, task: str) -> int:
        model = "0x" + self.models[task].hex()
        return next(m["fee"] for m in self.record["models"] if m["id"] == model)

    def params(self) -> dict:
        return self.record["params"]


def deploy_network(chain: Chain, models: dict[str, bytes], workload: bytes, committee_member: str,
                   path: Path, fee: int = MODEL_FEE) -> Deployment:
    """Deploys with dev account OWNER as owner, a 1-of-1 committee, every task's model at `fee` and the
    simulated TEE's workload allowed; writes the record to `path` and deploys the example consumer."""
    owner = chain.signer(OWNER)
    try:
        record = deploy(chain.rpc, owner, [committee_member], 1, [(m, fee, True, task) for task, m in models.items()], [workload])
        core = contracts_from(record)["Cloister"]
        consumer, _ = owner.deploy(compile_contract("examples/ZeroShotClassifier.vy"), ["address", "bytes32"],
                                   [core.address, models["classify"]])
    except Exception as error:  # RPC, compiler or revert: one message naming the step
        raise DevnetError(f"deployment: {error}") from error
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2) + "\n")
    consumer_record = {"address": consumer.address, "abi": consumer.abi}
    path.with_name("consumer.json").write_text(json.dumps(consumer_record, indent=2) + "\n")
    return Deployment(record, path, models, consumer)


def params_names(deployment: Deployment) -> list[str]:
    item = next(f for f in deployment.core.abi if f.get("type") == "function" and f["name"] == "params")
    return [c["name"] for c in item["outputs"][0]["components"]]


def set_params(chain: Chain, deployment: Deployment, changes: dict) -> dict:
    """The owner's `setParams` with `changes` over the current values; the deployment record (in memory
    and its file) is updated so that everyone reading it sees the new values. Returns them."""
    names = params_names(deployment)
    values = dict(zip(names, view(chain.rpc, deployment.core, "params")))
    values.update(changes)
    chain.signer(OWNER).transact(deployment.core, "setParams", tuple(values[n] for n in names))
    deployment.record["params"] = dict(zip(names, view(chain.rpc, deployment.core, "params")))
    deployment.path.write_text(json.dumps(deployment.record, indent=2) + "\n")
    return deployment.record["params"]
