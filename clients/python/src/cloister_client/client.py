"""The requester's side of Cloister from an account, on web3.py."""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import eth_abi
from coincurve import PrivateKey
from eth_account import Account
from eth_utils import keccak, to_checksum_address
from web3 import Web3

from . import envelope, tasks
from .attestation import AttestationError, Trust, VerifiedNode, check_node
from .deployment import Deployment, ModelEntry

ACTIVE = 1
REFUNDED = b"\x00" * 31 + b"\x02"
ZERO_ADDRESS = "0x" + "00" * 20
DEFAULT_DEADLINE = 600  # seconds, raised to minResponseTime + INCLUSION_MARGIN when that is longer
INCLUSION_MARGIN = 60  # the request is mined in a later block than the one its deadline is computed from
STATUS_NAMES = {0: "ok", 1: "invalid input", 2: "input too long", 3: "decryption failed", 4: "model error",
                5: "unsupported task"}


class CloisterError(Exception):
    """A request that cannot be sent, or a result that cannot be read; the message says why in plain words."""


@dataclass(frozen=True)
class Node:
    id: int
    operator: str
    signer: str
    public_key: bytes  # 64 bytes
    stake: int
    status: int
    attestation_digest: bytes
    attestation_expiry: int
    software_version: bytes
    models: list[bytes]
    record: dict = field(repr=False)

    def eligible(self, model: bytes, now: int) -> bool:
        return self.status == ACTIVE and model in self.models and self.attestation_expiry > now


@dataclass(frozen=True)
class VaultModel:
    """A sealed model's record in the model vault (`models(id)`): its owner, key epoch, engine and task, the
    privacy policy (mechanism 0 none, 1 Laplace, 2 Gaussian; ε per request in micros) and the budget (ε in
    micros per requester per `period` seconds; `requesters_listed`: only approved requesters may spend it)."""

    id: bytes
    owner: str
    epoch: int
    engine: str
    task: str
    mechanism: int
    epsilon_micros: int
    budget_micros: int
    period: int
    requesters_listed: bool

    @property
    def private(self) -> bool:
        return self.mechanism != 0


@dataclass
class Submitted:
    """A request on chain. `confidential` ones keep, in memory only, the output key and commitment salt."""

    id: bytes
    node: int
    block: int
    fee: int
    deadline: int
    model: bytes
    recipients: list[int] = field(default_factory=list)
    output_secret: bytes | None = field(default=None, repr=False)
    commitment_salt: bytes | None = field(default=None, repr=False)
    wrap_secrets: list[bytes] | None = field(default=None, repr=False)
    # a private request (`request_private`): ε it spent and what this account may still spend this period
    epsilon_micros: int | None = None
    budget_remaining_micros: int | None = None

    @property
    def private(self) -> bool:
        return self.epsilon_micros is not None

    @property
    def confidential(self) -> bool:
        return self.output_secret is not None


@dataclass(frozen=True)
class Result:
    id: bytes
    node: int
    status: int
    output: bytes  # in clear (decrypted for a confidential request); the error message when status != 0
    commitment: bytes
    commitment_matches: bool
    callback_ok: bool
    decoded: dict | None = None  # the output decoded per the model's declared encoding (status 0 only)

    @property
    def error(self) -> str | None:
        if self.status == 0:
            return None
        return f"status {self.status} ({STATUS_NAMES.get(self.status, 'error')}): {self.output.decode(errors='replace')}"


class Cloister:
    """One requester (a private key) on one deployment."""

    def __init__(self, rpc_url: str, deployment: str | Path | Deployment, private_key: bytes | str):
        self.deployment = deployment if isinstance(deployment, Deployment) else Deployment.load(deployment)
        self.w3 = Web3(Web3.HTTPProvider(rpc_url, request_kwargs={"timeout": 60}))
        self.account = Account.from_key(private_key)
        chain_id = self.w3.eth.chain_id
        if chain_id != self.deployment.chain_id:
            raise CloisterError(f"the RPC serves chain {chain_id}, the deployment file is for chain {self.deployment.chain_id}")
        self.core = self.w3.eth.contract(address=to_checksum_address(self.deployment.address("Cloister")),
                                         abi=self.deployment.abi("Cloister"))
        self.vault = (self.w3.eth.contract(address=to_checksum_address(self.deployment.address("ModelVault")),
                                           abi=self.deployment.abi("ModelVault"))
                      if "ModelVault" in self.deployment.contracts else None)

    @classmethod
    def from_keystore(cls, rpc_url: str, deployment, keystore: str | Path, password_file: str | Path) -> Cloister:
        password = Path(password_file).read_text().splitlines()[0]
        return cls(rpc_url, deployment, Account.decrypt(json.loads(Path(keystore).read_text()), password))

    @property
    def address(self) -> str:
        return self.account.address

    # ---- reading --------------------------------------------------------------------------------
    def models(self) -> list[ModelEntry]:
        """The deployment's models, with their fees as the core has them now."""
        out = []
        for m in self.deployment.models:
            fee, deterministic, enabled = self.core.functions.models(m.id).call()
            if enabled:
                out.append(ModelEntry(m.id, fee, deterministic, m.task, m.input, m.output))
        return out

    def node(self, node_id: int) -> Node:
        names = [c["name"] for c in next(f for f in self.deployment.abi("Cloister")
                                          if f.get("name") == "nodes")["outputs"][0]["components"]]
        record = dict(zip(names, self.core.functions.nodes(node_id).call()))
        return Node(node_id, record["operator"], record["signer"], bytes(record["publicKey"]), record["stake"],
                    record["status"], bytes(record["attestationDigest"]), record["attestationExpiry"],
                    bytes(record["softwareVersion"]), [bytes(m) for m in record["models"]], record)

    def nodes(self) -> list[Node]:
        return [self.node(i) for i in range(1, self.core.functions.nodeCount().call() + 1)]

    def eligible_nodes(self, model: bytes) -> list[Node]:
        now = self.w3.eth.get_block("latest")["timestamp"]
        return [n for n in self.nodes() if n.eligible(model, now)]

    def verify_node(self, node: Node, trust: Trust, at: int | None = None) -> VerifiedNode:
        """Checks the node's attestation yourself (see attestation.py); raises AttestationError."""
        return check_node(self.w3, self.deployment, node.id, node.record, trust, at)

    def request_fee(self, model: bytes, callback_gas: int = 0) -> int:
        return self.core.functions.requestFee(model, callback_gas).call()

    def credits(self, account: str | None = None) -> int:
        return self.core.functions.credits(to_checksum_address(account or self.address)).call()

    def _vault(self):
        if self.vault is None:
            raise CloisterError("this deployment has no model vault (contracts.ModelVault), so it has no private models")
        return self.vault

    def vault_model(self, model: bytes) -> VaultModel:
        """The model vault's record of `model` (raises if the vault has none)."""
        names = [c["name"] for c in next(f for f in self.deployment.abi("ModelVault")
                                          if f.get("name") == "models")["outputs"][0]["components"]]
        record = dict(zip(names, self._vault().functions.models(model).call()))
        if int(record["owner"], 16) == 0:
            raise CloisterError(f"model 0x{model.hex()} is not in the model vault")
        return VaultModel(model, record["owner"], record["epoch"], record["engine"], record["task"], record["mechanism"],
                          record["epsilonMicros"], record["budgetMicros"], record["period"], record["requestersListed"])

    def remaining_budget(self, model: bytes, requester: str | None = None) -> int:
        """ε (micros) `requester` (by default this account) may still spend on the private `model` in the current
        period, as the vault computes it (`remainingBudget`): 0 for a model without a privacy policy, and for a
        requester the model's owner has not approved when it lists its requesters."""
        return self._vault().functions.remainingBudget(model, to_checksum_address(requester or self.address)).call()

    # ---- requesting -----------------------------------------------------------------------------
    def _model(self, task_or_model: str | bytes) -> ModelEntry:
        if isinstance(task_or_model, bytes):
            listed = next((m for m in self.deployment.models if m.id == task_or_model), None)
            return listed or self._sealed_model(task_or_model)
        return self.deployment.model_for(task_or_model)

    def _sealed_model(self, model: bytes) -> ModelEntry:
        """A model the deployment file does not list: if the vault has it, its task's encodings are the ones the
        deployment declares for a model of that task (a sealed copy takes the task's usual input and output)."""
        try:
            task = self.vault_model(model).task
        except CloisterError:  # no vault, or not in it
            return ModelEntry(model, 0, True)
        same_task = next((m for m in self.deployment.models if m.task == task), None)
        return ModelEntry(model, 0, True, task, same_task and same_task.input, same_task and same_task.output)

    def encode_input(self, task: str, *values) -> bytes:
        """The task's input from its values, as the deployment declares it (e.g. classify: text, labels)."""
        model = self.deployment.model_for(task)
        return tasks.encode(model.input, *values)

    def _deadline(self, seconds: int | None) -> int:
        params = self.core.functions.params().call()
        names = [c["name"] for c in next(f for f in self.deployment.abi("Cloister")
                                          if f.get("name") == "params")["outputs"][0]["components"]]
        p = dict(zip(names, params))
        minimum, maximum = p["minResponseTime"], p["maxDeadline"]
        if seconds is not None and not minimum <= seconds <= maximum:
            raise CloisterError(f"a deadline of {seconds} s is outside this deployment's bounds "
                                f"({minimum} s, params().minResponseTime, to {maximum} s, params().maxDeadline)")
        wanted = min(max(seconds or DEFAULT_DEADLINE, minimum + INCLUSION_MARGIN), maximum)
        self._max_input = p["maxInputBytes"]
        return self.w3.eth.get_block("latest")["timestamp"] + wanted

    def _send(self, model: bytes, payload: bytes, output_key: bytes, recipients: list[int], deadline_seconds: int | None,
              fee: int | None, private: bool = False) -> Submitted:
        deadline = self._deadline(deadline_seconds)
        if len(payload) > self._max_input:
            raise CloisterError(f"the input is {len(payload)} bytes; this deployment takes at most {self._max_input} "
                                "(params().maxInputBytes); nothing was sent")
        cost = self.request_fee(model, 0) if fee is None else fee
        target = self.vault.functions.requestPrivate if private else self.core.functions.request
        receipt = self._transact(target(model, payload, ZERO_ADDRESS, 0, deadline, output_key, recipients), cost)
        event = _events(self.core, "Requested", receipt)[0]
        submitted = Submitted(bytes(event["id"]), event["node"], receipt["blockNumber"], cost, deadline, model, recipients)
        if private:
            charged = _events(self.vault, "PrivateRequested", receipt)[0]
            submitted.epsilon_micros = charged["epsilonMicros"]
            submitted.budget_remaining_micros = charged["budgetMicros"] - charged["spentMicros"]
        return submitted

    def _transact(self, call, value: int = 0):
        # A request's node draw depends on the block it lands in, so its gas may differ from the estimate's.
        gas = call.estimate_gas({"from": self.address, "value": value}) * 5 // 4 + 50_000
        tx = call.build_transaction({"from": self.address, "value": value, "gas": gas,
                                     "nonce": self.w3.eth.get_transaction_count(self.address, "pending"),
                                     "chainId": self.deployment.chain_id})
        signed = self.account.sign_transaction(tx)
        receipt = self.w3.eth.wait_for_transaction_receipt(self.w3.eth.send_raw_transaction(signed.raw_transaction),
                                                           timeout=120, poll_latency=0.1)
        if receipt["status"] != 1:
            raise CloisterError(f"transaction 0x{receipt['transactionHash'].hex()} reverted: {self._reason(tx, receipt)}")
        return receipt

    def _reason(self, tx: dict, receipt) -> str:
        """The revert reason, from replaying the transaction on the state before its block."""
        try:
            self.w3.eth.call({k: tx[k] for k in ("from", "to", "data", "value")}, receipt["blockNumber"] - 1)
        except Exception as error:  # web3 raises ContractLogicError (or a ValueError from the node) with the reason
            return str(error.args[0] if error.args else error)
        return f"out of gas? ({receipt['gasUsed']} of {tx['gas']} used)"

    def request(self, task_or_model: str | bytes, *values, raw: bytes | None = None, deadline_seconds: int | None = None,
                fee: int | None = None) -> Submitted:
        """A plaintext request: `task` and its values (encoded per the deployment), or a model id and `raw` bytes.
        Pays `requestFee(model, 0)` unless `fee` says more."""
        model = self._model(task_or_model)
        payload = raw if raw is not None else tasks.encode(model.input, *values)
        return self._send(model.id, payload, b"", [], deadline_seconds, fee)

    def request_confidential(self, task_or_model: str | bytes, *values, trust: Trust, raw: bytes | None = None,
                             recipients: int = 3, deadline_seconds: int | None = None, fee: int | None = None,
                             keep_wrap_secrets: bool = False) -> Submitted:
        """Seals the input to up to `recipients` eligible nodes whose attestation verifies under `trust` (nodes
        that do not verify are left out, never encrypted to) and sends it; the output comes back encrypted to a
        fresh key held by the returned Submitted."""
        model = self._model(task_or_model)
        payload = raw if raw is not None else tasks.encode(model.input, *values)
        return self._send_sealed(model.id, payload, trust, recipients, deadline_seconds, fee, keep_wrap_secrets,
                                 private=False)

    def _send_sealed(self, model: bytes, payload: bytes, trust: Trust, recipients: int, deadline_seconds: int | None,
                     fee: int | None, keep_wrap_secrets: bool, private: bool) -> Submitted:
        verified, refused = [], []
        for node in self.eligible_nodes(model):
            try:
                verified.append(self.verify_node(node, trust))
            except AttestationError as error:
                refused.append(str(error))
            if len(verified) == recipients:
                break
        if not verified:
            raise CloisterError("no eligible node's attestation verified: " + ("; ".join(refused) or "no eligible node"))
        output_secret = PrivateKey()
        # the envelope is bound to the core's requester: the vault, for a private request
        requester = self.vault.address if private else self.address
        context = envelope.EnvelopeContext(self.deployment.chain_id, bytes.fromhex(self.core.address[2:]),
                                           bytes.fromhex(requester[2:]), output_secret.public_key.format(compressed=True))
        sealed = envelope.seal(payload, [v.public_key for v in verified], context)
        submitted = self._send(model, sealed.envelope, context.output_key, [v.id for v in verified],
                               deadline_seconds, fee, private)
        submitted.output_secret = output_secret.secret
        submitted.commitment_salt = sealed.commitment_salt
        submitted.wrap_secrets = sealed.wrap_secrets if keep_wrap_secrets else None
        return submitted

    def request_private(self, model: bytes, *values, raw: bytes | None = None, trust: Trust | None = None,
                        recipients: int = 3, deadline_seconds: int | None = None, fee: int | None = None) -> Submitted:
        """A request for a model released with differential privacy, through the model vault (`requestPrivate`),
        which charges the model's ε to this account's budget for the period. Checks first, and raises
        CloisterError before sending anything, if the vault has no such private model, the owner has not approved
        this account (when it lists requesters), or the budget left is below one request's ε. The values are
        encoded as the model's task takes them (the vault records the task); with `trust`, the input is sealed
        as in `request_confidential`. The returned Submitted says the ε spent and the budget left."""
        entry = self.vault_model(model)
        if not entry.private:
            raise CloisterError(f"model 0x{model.hex()} has no privacy policy in the model vault; request it with request()")
        vault = self._vault()
        if entry.requesters_listed and not vault.functions.requesters(model, self.address).call():
            raise CloisterError(f"the owner of model 0x{model.hex()} has not approved {self.address} as a requester; "
                                "nothing was sent")
        remaining = self.remaining_budget(model)
        if remaining < entry.epsilon_micros:
            now = self.w3.eth.get_block("latest")["timestamp"]
            renewed = (now // entry.period + 1) * entry.period
            raise CloisterError(
                f"your privacy budget for model 0x{model.hex()} is exhausted for this period: ε {_micros(remaining)} "
                f"left of {_micros(entry.budget_micros)}, a request costs ε {_micros(entry.epsilon_micros)}; it renews "
                f"at {renewed} (in {renewed - now} s); nothing was sent")
        known = self._model(model)
        payload = raw if raw is not None else tasks.encode(known.input or _no_encoding(model, entry.task), *values)
        if trust is not None:
            return self._send_sealed(model, payload, trust, recipients, deadline_seconds, fee, False, private=True)
        return self._send(model, payload, b"", [], deadline_seconds, fee, private=True)

    # ---- results --------------------------------------------------------------------------------
    def fulfilled_event(self, request_id: bytes, from_block: int | None = None):
        logs = self.core.events.Fulfilled().get_logs(argument_filters={"id": request_id},
                                                     from_block=from_block or self.deployment.deployment_block)
        return logs[0] if logs else None

    def wait(self, submitted: Submitted, timeout: float = 300.0, poll: float = 0.3) -> Result:
        """Waits for the Fulfilled event, decrypts the output (confidential requests) and checks it against the
        commitment the enclave signed."""
        end = time.monotonic() + timeout
        while (log := self.fulfilled_event(submitted.id, submitted.block)) is None:
            if time.monotonic() > end:
                raise CloisterError(f"request 0x{submitted.id.hex()} was not fulfilled within {timeout:.0f} s")
            time.sleep(poll)
        return self.read_result(submitted, log)

    def read_result(self, submitted: Submitted, log=None) -> Result:
        log = log or self.fulfilled_event(submitted.id, submitted.block)
        if log is None:
            raise CloisterError(f"request 0x{submitted.id.hex()} has no result yet")
        args = log["args"]
        status, posted, commitment = args["status"], bytes(args["output"]), bytes(args["outputCommitment"])
        if submitted.confidential and envelope.is_encrypted_output(posted):
            context = envelope.OutputContext(self.deployment.chain_id, bytes.fromhex(self.core.address[2:]), submitted.id)
            output = envelope.open_output(posted, submitted.output_secret, context)
            salt = submitted.commitment_salt
        else:  # plaintext, or an error posted in clear because the envelope did not open
            output, salt = posted, submitted.id
        matches = envelope.output_commitment(salt, status, output) == commitment
        model = self._model(submitted.model)
        decoded = tasks.decode(model.output, output) if status == 0 and model.output else None
        return Result(submitted.id, args["node"], status, output, commitment, matches, args["callbackOk"], decoded)

    # ---- refunds --------------------------------------------------------------------------------
    def requested_event(self, request_id: bytes):
        logs = self.core.events.Requested().get_logs(argument_filters={"id": request_id},
                                                     from_block=self.deployment.deployment_block)
        if not logs:
            raise CloisterError(f"no Requested event for 0x{request_id.hex()} on this deployment")
        return logs[-1]

    def request_tuple(self, request_id: bytes) -> tuple:
        """The Request struct the core hashed, rebuilt from the Requested event (what refund() takes)."""
        a = self.requested_event(request_id)["args"]
        recipients = list(a["recipients"])
        recipients_hash = keccak(eth_abi.encode(["uint256[]"], [recipients])) if recipients else bytes(32)
        return (request_id, a["requester"], bytes(a["model"]), keccak(bytes(a["input"])), a["callback"],
                a["callbackGas"], a["fee"], a["deadline"], a["node"], recipients_hash)

    def refund(self, request_id: bytes) -> dict:
        """After the deadline of a request nobody answered: the fee is credited back to its requester (which
        may be a contract, not you). Returns {"requester", "fee", "slashed"} from the Refunded event."""
        req = self.request_tuple(request_id)
        if self.core.functions.requests(request_id).call() != keccak(_encode_request(req)):
            raise CloisterError(f"request 0x{request_id.hex()} is no longer pending: it was answered or refunded already")
        if self.w3.eth.get_block("latest")["timestamp"] <= req[7]:
            raise CloisterError(f"request 0x{request_id.hex()} may still be answered until its deadline {req[7]}")
        receipt = self._transact(self.core.functions.refund(req))
        args = _events(self.core, "Refunded", receipt)[0]
        return {"requester": args["requester"], "fee": args["fee"], "slashed": args["slashed"]}

    def claim_private_refund(self, request_id: bytes) -> int:
        """The fee of a private request comes back to this account through the vault: after its deadline if
        nobody answered (the core's refund is made first unless someone did), or after a dispute overturned its
        result. Returns the amount paid (the vault's RefundClaimed event); ε is not given back."""
        vault = self._vault()
        if vault.functions.privateRequests(request_id).call()[0].lower() != self.address.lower():
            raise CloisterError(f"request 0x{request_id.hex()} is not a private request of {self.address}")
        if vault.functions.privateFees(request_id).call() == 0:
            raise CloisterError(f"the refund of request 0x{request_id.hex()} was claimed already")
        req = self.request_tuple(request_id)
        if self.core.functions.requests(request_id).call() == keccak(_encode_request(req)):
            self.refund(request_id)
        receipt = self._transact(vault.functions.claimRefund(request_id))
        return _events(vault, "RefundClaimed", receipt)[0]["amount"]

    def withdraw(self) -> int:
        """Pays out everything credited to this account; returns the amount (0: nothing was sent)."""
        amount = self.credits()
        if amount:
            self._transact(self.core.functions.withdraw())
        return amount


def _events(contract, name: str, receipt) -> list:
    """The arguments of `contract`'s `name` events in `receipt` (other contracts' logs left out)."""
    event = getattr(contract.events, name)()
    return [event.process_log(log)["args"] for log in receipt["logs"] if log["address"].lower() == contract.address.lower()
            and log["topics"] and bytes(log["topics"][0]) == keccak(text=_event_signature(contract, name))]


def _event_signature(contract, name: str) -> str:
    abi = next(e for e in contract.abi if e.get("type") == "event" and e["name"] == name)
    return f"{name}({','.join(i['type'] for i in abi['inputs'])})"


def _micros(amount: int) -> str:
    return f"{amount / 1_000_000:g}"


def _no_encoding(model: bytes, task: str) -> str:
    raise CloisterError(f"the deployment declares no encoding for task {task!r} of model 0x{model.hex()}; pass raw=")


def _encode_request(req: tuple) -> bytes:
    return eth_abi.encode(["(bytes32,address,bytes32,bytes32,address,uint256,uint256,uint256,uint256,bytes32)"], [req])
