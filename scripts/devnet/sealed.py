"""Sealed models on the dev network (issue 18): MiniLM's own weights sealed by a model owner as if they were
proprietary — one copy served with exact outputs and fetched by the nodes over HTTP, one released with
differential privacy and read from a path — registered in the model vault and enabled in the core; the
owner's key service, which wraps the key for the first enclave that asks and then goes offline (the
enclaves pass it on from there); and the scan for the plaintext weights on disk.

    models = seal_models(cloister, folder, owner_address)
    with serve_folder(folder) as base_url:
        register_models(chain, deployment, models, base_url)
        with OwnerKeyService(cloister, chain, deployment, models):
            ...  # nodes with models.sealed = [m.hex_id for m in models] register and start
"""
from __future__ import annotations

import functools
import http.server
import json
import os
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import eth_abi
from eth_utils import keccak

from cloister_chain import Contract, RpcError, view

from . import DevnetError
from .accounts import DIRECT_REQUESTER, MODEL_OWNER, OWNER, PRIVATE_REQUESTER
from .adversary_waits import wait
from .binary import Cloister
from .chain import Chain
from .deployment import MODEL_FEE, Deployment, set_params
from .nodes import model_directory

ENGINE = "cloister-minilm-f32/2"
LAPLACE = 1
# the private copy's policy: ε = 0.5 a request, a similarity moves by at most 0.05 for one protected
# record (the owner's statement, docs/privacy.md), and 2.0 of ε per requester per day
PRIVATE_POLICY = {"mechanism": LAPLACE, "delta_exponent": 0, "epsilon_micros": 500_000, "sensitivities": (0, 50_000, 0),
                  "budget_micros": 2_000_000, "period": 86_400}


@dataclass(frozen=True)
class SealedModel:
    """A sealed copy of the MiniLM weights: its model id, task, files and whether its outputs are private."""

    name: str
    task: str
    private: bool
    id: bytes
    sealed_file: Path
    key_file: Path
    plaintext_sha256: bytes
    sealed_sha256: bytes

    @property
    def hex_id(self) -> str:
        return "0x" + self.id.hex()


def weights_file() -> Path:
    return model_directory() / "model.safetensors"


def seal_models(cloister: Cloister, folder: Path, owner: str) -> list[SealedModel]:
    """Seals the MiniLM weights twice (`cloister model seal`, a fresh key each): "proprietary" (exact
    similarity scores) and "private" (similarity released with differential privacy)."""
    folder.mkdir(parents=True, exist_ok=True)
    models = []
    for name, private in (("proprietary", False), ("private", True)):
        sealed, key = folder / f"{name}.sealed", folder / f"{name}.key"
        sealed.unlink(missing_ok=True)
        key.unlink(missing_ok=True)
        printed = json.loads(cloister.run(f"sealing the {name} model", "model", "seal", "--input", weights_file(),
                                          "--output", sealed, "--key-file", key, "--new-key", "--owner", owner,
                                          "--engine", ENGINE, "--task", "similarity"))
        models.append(SealedModel(name, "similarity", private, bytes.fromhex(printed["model_id"][2:]), sealed, key,
                                  bytes.fromhex(printed["plaintext_sha256"][2:]), bytes.fromhex(printed["sealed_sha256"][2:])))
    return models


@contextmanager
def serve_folder(folder: Path):
    """A plain HTTP server for `folder` on a free local port (where the owner publishes sealed files); yields
    its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="sealed-files", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


def register_models(chain: Chain, deployment: Deployment, models: list[SealedModel], base_url: str) -> None:
    """The owner registers each model in the vault (the proprietary one at `base_url`, the private one at its
    path, with PRIVATE_POLICY) and the deployer enables it in the core, deterministic, at the usual fee."""
    owner, deployer = chain.signer(MODEL_OWNER), chain.signer(OWNER)
    contract = deployment.vault
    for model in models:
        policy = PRIVATE_POLICY if model.private else {"mechanism": 0, "delta_exponent": 0, "epsilon_micros": 0,
                                                       "sensitivities": (0, 0, 0), "budget_micros": 0, "period": 0}
        location = str(model.sealed_file.resolve()) if model.private else f"{base_url}/{model.sealed_file.name}"
        owner.transact(contract, "registerModel", model.plaintext_sha256, model.sealed_sha256, ENGINE, model.task, location, [],
                       policy["mechanism"], policy["delta_exponent"], policy["epsilon_micros"], *policy["sensitivities"],
                       policy["budget_micros"], policy["period"], False)
        registered = view(chain.rpc, contract, "models", model.id)
        if registered[0].lower() != owner.address.lower():
            raise DevnetError(f"sealed model {model.name}: the vault computed another id than `cloister model seal`")
        deployer.transact(deployment.core, "setModel", model.id, MODEL_FEE, True, True)


class OwnerKeyService:
    """The model owner, online only at first: watches the vault's `KeyRequested` log and wraps the key of each
    of its models (`cloister model wrap-key`) for the first enclave that asks, then stops answering for that
    model, so every later enclave gets the key from an enclave that holds it. `wrapped` lists the
    (model id, enclave) pairs it served."""

    def __init__(self, cloister: Cloister, chain: Chain, deployment: Deployment, models: list[SealedModel],
                 first_only: bool = True):
        self.cloister, self.chain, self.models, self.first_only = cloister, chain, {m.id: m for m in models}, first_only
        self.contract = deployment.vault
        self.owner = chain.signer(MODEL_OWNER)
        self.wrapped: list[tuple[bytes, str]] = []
        self.error: Exception | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="model-owner", daemon=True)
        event = next(e for e in self.contract.abi if e.get("type") == "event" and e["name"] == "KeyRequested")
        signature = "KeyRequested(" + ",".join(i["type"] for i in event["inputs"]) + ")"
        self.topic = "0x" + keccak(text=signature).hex()

    def __enter__(self) -> OwnerKeyService:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        next_block = 0
        answered: set[bytes] = set()
        while not self._stop.is_set():
            try:
                head = self.chain.block_number()
                if head >= next_block:
                    logs = self.chain.rpc.call("eth_getLogs", {"address": self.contract.address, "topics": [self.topic],
                                                               "fromBlock": hex(next_block), "toBlock": hex(head)})
                    next_block = head + 1
                    for log in logs:
                        self._answer(log, answered)
            except Exception as error:  # noqa: BLE001 - reported to the scenario, which fails on it
                self.error = error
            self._stop.wait(0.3)

    def _answer(self, log: dict, answered: set[bytes]) -> None:
        model_id = bytes.fromhex(log["topics"][1][2:])
        model = self.models.get(model_id)
        if model is None or (self.first_only and model_id in answered):
            return
        signer = "0x" + log["topics"][2][-40:]
        public_key, _workload, _expiry, epoch = eth_abi.decode(["bytes", "bytes32", "uint256", "uint256"],
                                                               bytes.fromhex(log["data"][2:]))
        if view(self.chain.rpc, self.contract, "wrappedKey", model_id, epoch, signer):
            return
        printed = json.loads(self.cloister.run("owner wraps a model key", "model", "wrap-key", "--key-file", model.key_file,
                                               "--model", model.hex_id, "--epoch", epoch, "--recipient-key",
                                               "0x" + public_key.hex()))
        wrapped = bytes.fromhex(printed["wrapped"][2:])
        self.owner.transact(self.contract, "publishKey", model_id, epoch, signer, wrapped,
                            "0x" + "00" * 20, 0, b"\0" * 32, b"\0" * 32)
        answered.add(model_id)
        self.wrapped.append((model_id, signer.lower()))


def plaintext_on_disk(folders: list[Path], since: float, windows: int = 16, width: int = 64) -> int:
    """How many files under `folders` (those modified at or after `since`) hold any of `windows` stretches of
    `width` bytes taken across the plaintext weights: 0 when no node wrote the decrypted model anywhere."""
    weights = weights_file().read_bytes()
    step = len(weights) // (windows + 1)
    probes = [weights[step * (i + 1): step * (i + 1) + width] for i in range(windows)]
    probes = [p for p in probes if len(set(p)) > 4]  # skip runs of one byte, which any file could hold
    found = 0
    for folder in folders:
        for root, _dirs, files in os.walk(folder):
            for name in files:
                path = Path(root) / name
                try:
                    if not path.is_file() or path.stat().st_mtime < since:
                        continue
                    if _holds_any(path, probes, width):
                        found += 1
                except OSError:
                    continue
    return found


def _holds_any(path: Path, probes: list[bytes], width: int) -> bool:
    overlap = b""
    with path.open("rb") as handle:
        while block := handle.read(1 << 22):
            data = overlap + block
            if any(p in data for p in probes):
                return True
            overlap = data[-(width - 1):]
    return False


def wait_for(condition, timeout: float, what: str) -> None:
    """`adversary_waits.wait`, failing with what was awaited when it times out."""
    if not wait(lambda: bool(condition()), timeout, every=0.2):
        raise DevnetError(f"timed out waiting for {what}")


FULFILLED = "0x" + keccak(text="Fulfilled(bytes32,uint256,uint256,bytes32,uint256,bool,bytes,uint256)").hex()
VERIFIED = "0x" + keccak(text="Verified(bytes32,uint256)").hex()
TEXTS = ["a proprietary model answers", "the weights never leave the enclave", "sealed files are ciphertext",
         "only attested enclaves hold the key", "a cat sleeps on the mat", "interest rates rose again"]


@dataclass
class SealedRun:
    requested: int
    fulfilled: int
    verified: int
    plaintext_files: int


@dataclass
class BudgetRun:
    spent_micros: int
    budget_micros: int
    answered: int
    refused: int


def _topics_seen(chain: Chain, address: str, topic: str, ids: list[bytes], since: int) -> set[bytes]:
    logs = chain.rpc.call("eth_getLogs", {"address": address, "fromBlock": hex(since), "toBlock": "latest",
                                          "topics": [topic, ["0x" + i.hex() for i in ids]]})
    return {bytes.fromhex(log["topics"][1][2:]) for log in logs if not log.get("removed")}


def _request(chain: Chain, deployment: Deployment, account: int, target: Contract, function: str, model: bytes,
             payload: bytes) -> bytes:
    signer = chain.signer(account)
    deadline = chain.block_timestamp() + 600
    receipt = signer.transact(target, function, model, payload, "0x" + "00" * 20, 0, deadline, b"", [],
                              value=MODEL_FEE)
    return next(fields["id"] for name, fields in deployment.core.events(receipt) if name == "Requested")


def run_sealed_requests(net, count: int, since: float, timeout: float = 180.0) -> SealedRun:
    """`count` similarity requests to the proprietary sealed model, sent straight to the core with verification
    sampling raised to 100 % (then restored): how many were fulfilled and verified by a sampled node, and how
    many files in the nodes' folders (and the temporary folder) hold plaintext weights afterwards."""
    proprietary = next(m for m in net.sealed if not m.private)
    before = net.deployment.params()["verifyBps"]
    set_params(net.chain, net.deployment, {"verifyBps": 10_000})
    start_block = net.chain.block_number()
    ids = [_request(net.chain, net.deployment, DIRECT_REQUESTER, net.deployment.core, "request", proprietary.id,
                    eth_abi.encode(["string", "string"], [TEXTS[i % len(TEXTS)], TEXTS[(i + 1) % len(TEXTS)]]))
           for i in range(count)]
    arbiter = net.deployment.arbiter.address
    deadline = time.monotonic() + timeout
    fulfilled, verified = set(), set()
    try:  # a result is sampled under the parameters it is fulfilled under: restored only once all are
        while time.monotonic() < deadline and len(fulfilled) < len(ids):
            fulfilled = _topics_seen(net.chain, net.deployment.core.address, FULFILLED, ids, start_block)
            time.sleep(0.3)
    finally:
        set_params(net.chain, net.deployment, {"verifyBps": before})
    while time.monotonic() < deadline and len(verified) < len(ids):
        verified = _topics_seen(net.chain, arbiter, VERIFIED, ids, start_block)
        time.sleep(0.5)
    folders = [node.folder for node in net.nodes] + [Path(tempfile.gettempdir())]
    return SealedRun(len(ids), len(fulfilled), len(verified), plaintext_on_disk(folders, since))


def run_private_requests(net, count: int, timeout: float = 180.0) -> BudgetRun:
    """`count` private similarity requests from one requester through the vault (`requestPrivate`), more than
    its budget allows: the vault refuses the rest on chain ("vault: privacy budget exhausted"); returns ε
    spent of the budget, how many were answered and how many refused."""
    private = next(m for m in net.sealed if m.private)
    contract = net.deployment.vault
    start_block = net.chain.block_number()
    ids, refused = [], 0
    for i in range(count):
        try:
            ids.append(_request(net.chain, net.deployment, PRIVATE_REQUESTER, contract, "requestPrivate", private.id,
                                eth_abi.encode(["string", "string"], [TEXTS[i % len(TEXTS)], TEXTS[0]])))
        except RpcError as error:
            if "vault: privacy budget exhausted" not in str(error):
                raise
            refused += 1
    deadline = time.monotonic() + timeout
    answered = set()
    while time.monotonic() < deadline and len(answered) < len(ids):
        answered = _topics_seen(net.chain, net.deployment.core.address, FULFILLED, ids, start_block)
        time.sleep(0.5)
    requester = net.chain.signer(PRIVATE_REQUESTER).address
    entry = view(net.chain.rpc, contract, "models", private.id)
    budget = entry[14]
    remaining = view(net.chain.rpc, contract, "remainingBudget", private.id, requester)
    return BudgetRun(budget - remaining, budget, len(answered), refused)


KEY_PUBLISHED = "0x" + keccak(text="KeyPublished(bytes32,uint256,address,address,bytes)").hex()


def key_handoffs(chain: Chain, deployment: Deployment, owner: str) -> tuple[int, int]:
    """How many model keys the vault has seen published by the owner, and how many by enclaves holding them."""
    logs = chain.rpc.call("eth_getLogs", {"address": deployment.vault.address, "fromBlock": "0x0", "toBlock": "latest",
                                          "topics": [KEY_PUBLISHED]})
    holders = [eth_abi.decode(["uint256", "address", "bytes"], bytes.fromhex(log["data"][2:]))[1].lower() for log in logs]
    by_owner = sum(1 for holder in holders if holder == owner.lower())
    return by_owner, len(holders) - by_owner
