"""Test kit for ModelVault.vy on top of cloister_kit: a deployed vault, sealed models, enclaves that
enroll with the quotes they register with, key wraps and their holders' EIP-712 signatures.

The KeyWrap signatures and digests are made with eth-account (`encode_typed_data`), never with the
vault's own code; model ids with eth-abi.
"""
from __future__ import annotations

from dataclasses import dataclass

import boa
import eth_abi
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils import keccak, to_checksum_address

import cloister_kit as K

LAPLACE, GAUSSIAN = 1, 2
EPSILON = 500_000  # ε = 0.5 per request
BUDGET = 2_000_000  # four requests per period
PERIOD = 86_400
ENGINE = "minilm-l6-v2/cloister-1"
KEY_WRAP_TYPES = [
    {"name": "model", "type": "bytes32"},
    {"name": "epoch", "type": "uint256"},
    {"name": "recipient", "type": "address"},
    {"name": "wrappedHash", "type": "bytes32"},
]
REFUNDED = b"\x00" * 31 + b"\x02"


def model_id(owner: str, plaintext: bytes, sealed: bytes, engine: str, task: str) -> bytes:
    return keccak(eth_abi.encode(["string", "address", "bytes32", "bytes32", "string", "string"],
                                 ["cloister-sealed-model/1", owner, plaintext, sealed, engine, task]))


def key_wrap_message(vault: str, chain_id: int, model: bytes, epoch: int, recipient: str, wrapped: bytes) -> dict:
    return {"types": {"EIP712Domain": K.DOMAIN_TYPES, "KeyWrap": KEY_WRAP_TYPES}, "primaryType": "KeyWrap",
            "domain": {"name": "Cloister ModelVault", "version": "1", "chainId": chain_id, "verifyingContract": vault},
            "message": {"model": model, "epoch": epoch, "recipient": recipient, "wrappedHash": keccak(wrapped)}}


def wrap_bytes(tag: bytes) -> bytes:
    """112 bytes standing in for E ‖ ciphertext ‖ tag (the vault checks only the length)."""
    return (keccak(b"wrap" + tag) * 4)[:112]


def policy(mechanism=LAPLACE, delta=0, epsilon=EPSILON, embedding=0, similarity=2_000_000, classification=0,
           budget=BUDGET, period=PERIOD, listed=False) -> list:
    return [mechanism, delta, epsilon, embedding, similarity, classification, budget, period, listed]


@dataclass
class Enclave:
    key: K.EnclaveKey
    operator: str
    base: bytes
    expiry: int

    @property
    def signer(self) -> str:
        return self.key.address


class Vault:
    def __init__(self, world: K.World):
        self.world = world
        self.vault = K.factory("ModelVault.vy").deploy(world.core.address)
        self.owner = boa.env.generate_address()
        world.fund(self.owner)
        with boa.env.prank(world.owner):  # other tests' worlds move boa's default sender
            world.admission.setWorkload(K.workload_id(K.SGX_QUOTE), True)
        self._counter = 0

    @property
    def address(self) -> str:
        return self.vault.address

    # ---- models ------------------------------------------------------------------------------
    def register_model(self, owner: str | None = None, task: str = "similarity", workloads=(), pol=None,
                       tag: bytes = b"model", enable: bool = True, location: str = "/models/minilm.sealed") -> bytes:
        owner = owner or self.owner
        plaintext, sealed = keccak(b"plain" + tag), keccak(b"sealed" + tag)
        with boa.env.prank(owner):
            model = self.vault.registerModel(plaintext, sealed, ENGINE, task, location, list(workloads),
                                             *(pol or policy()))
        assert model == model_id(owner, plaintext, sealed, ENGINE, task)
        if enable:  # the core's owner enables the id like any model
            with boa.env.prank(self.world.owner):
                self.world.core.setModel(model, K.MODEL_FEE, True, True)
        return model

    # ---- enclaves ----------------------------------------------------------------------------
    def enclave(self, base: bytes = K.TDX_QUOTE, operator: str | None = None, validity: int = 7 * 86400) -> Enclave:
        self._counter += 1
        key = K.EnclaveKey(keccak(b"vault enclave" + self._counter.to_bytes(4, "big")))
        return Enclave(key, operator or boa.env.generate_address(), base, K.now() + validity)

    def attestation(self, enclave: Enclave):
        quote = K.quote_with(K.report_data(enclave.signer, K.VERSION, enclave.expiry, self.world.core.address,
                                           K.chain_id(), enclave.operator), enclave.base)
        return quote, self.world.committee_proof(quote, enclave.expiry + 86400)

    def enroll(self, model: bytes, enclave: Enclave, sender: str | None = None) -> None:
        quote, proof = self.attestation(enclave)
        with boa.env.prank(sender or enclave.operator):
            self.vault.enroll(model, enclave.key.public_key, quote, enclave.operator, K.VERSION, enclave.expiry, proof)

    def register_node(self, model: bytes, enclave: Enclave, stake: int = K.ETHER) -> int:
        """Registers `enclave` in the core as a node serving `model` (with the quote it enrolled with)."""
        quote, proof = self.attestation(enclave)
        self.world.fund(enclave.operator, stake + K.ETHER)
        with boa.env.prank(enclave.operator):
            node_id = self.world.core.register(enclave.key.public_key, [model], quote, K.VERSION, enclave.expiry, proof,
                                               value=stake)
        self.world.nodes.append(K.Node(node_id, enclave.operator, enclave.key, keccak(quote), enclave.expiry))
        return node_id

    # ---- key wraps ----------------------------------------------------------------------------
    def sign_wrap(self, holder: Enclave, model: bytes, epoch: int, recipient: str, wrapped: bytes):
        signed = Account.sign_message(encode_typed_data(full_message=key_wrap_message(
            self.address, K.chain_id(), model, epoch, recipient, wrapped)), holder.key.secret)
        return signed.v, signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big")

    def publish_by_owner(self, model: bytes, recipient: Enclave, epoch: int | None = None, wrapped: bytes | None = None,
                         owner: str | None = None) -> bytes:
        epoch = epoch if epoch is not None else self.vault.models(model).epoch
        wrapped = wrapped or wrap_bytes(recipient.signer.encode() + epoch.to_bytes(4, "big"))
        with boa.env.prank(owner or self.owner):
            self.vault.publishKey(model, epoch, recipient.signer, wrapped, K.ZERO, 0, K.ZERO32, K.ZERO32)
        return wrapped

    def publish_by_holder(self, model: bytes, holder: Enclave, recipient: Enclave, epoch: int | None = None,
                          wrapped: bytes | None = None, sender: str | None = None, signature=None) -> bytes:
        epoch = epoch if epoch is not None else self.vault.models(model).epoch
        wrapped = wrapped or wrap_bytes(recipient.signer.encode() + epoch.to_bytes(4, "big") + b"re")
        v, r, s = signature or self.sign_wrap(holder, model, epoch, recipient.signer, wrapped)
        with boa.env.prank(sender or holder.operator):
            self.vault.publishKey(model, epoch, recipient.signer, wrapped, holder.signer, v, r, s)
        return wrapped

    # ---- private requests -----------------------------------------------------------------------
    def request_private(self, requester: str, model: bytes, payload: bytes = b"x" * 64, fee: int = K.MODEL_FEE,
                        deadline: int | None = None, recipients=()) -> tuple:
        """requestPrivate as `requester`; returns the core's Request tuple (requester = the vault)."""
        deadline = deadline if deadline is not None else K.now() + 600
        with boa.env.prank(requester):
            rid = self.vault.requestPrivate(model, payload, K.ZERO, 0, deadline, b"", list(recipients), value=fee)
        self.events = self.vault.get_logs()  # the vault's own events of this call
        event = [e for e in self.world.core.get_logs(computation=self.vault._computation, strict=False)
                 if type(e).__name__ == "Requested"][0]
        rh = keccak(eth_abi.encode(["uint256[]"], [list(event.recipients)])) if event.recipients else K.ZERO32
        return (rid, to_checksum_address(event.requester), model, keccak(payload), event.callback, event.callbackGas,
                event.fee, event.deadline, event.node, rh)

    def owed(self) -> int:
        """What the vault holds or is credited at the core (must equal the refunds owed)."""
        return boa.env.get_balance(self.address) + self.world.core.credits(self.address)
