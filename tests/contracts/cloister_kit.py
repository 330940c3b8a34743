"""Test kit for the Cloister contracts: deployment, enclave keys, quotes, signatures.

Signatures and typed-data digests are produced with eth-account / eth-keys (independent
EIP-712 implementations), never with the contracts' own code.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import boa
import eth_abi
from eth_account import Account
from eth_keys import keys
from eth_utils import keccak

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT / "contracts"
sys.path.insert(0, str(ROOT / "scripts"))

from cloister_signing import (  # noqa: E402
    ACCEPTANCE_TYPES, DOMAIN_TYPES, RESULT_TYPES, ROLE_CHALLENGE, ROLE_EXECUTE, ROLE_VERIFY, ROLE_VOTE, SGX_QUOTE,
    TDX_QUOTE, committee_proof, ext_data_hash, plaintext_commitment, quote_with, report_data, result_domain,
    result_message, sign_typed, workload_id,
)
ZERO = "0x0000000000000000000000000000000000000000"
ZERO32 = b"\x00" * 32
ETHER = 10**18
MODEL = keccak(b"all-MiniLM-L6-v2/zero-shot-classification")
MODEL_FEE = 10**15
VERSION = keccak(b"cloister-node 0.1.0")

_factories: dict[str, object] = {}


def factory(relative: str):
    """Compiled contract factory (titanoboa caches compilation on disk)."""
    if relative not in _factories:
        _factories[relative] = boa.load_partial(str(CONTRACTS / relative))
    return _factories[relative]


def chain_id() -> int:
    return boa.env.evm.patch.chain_id


def now() -> int:
    return boa.env.evm.patch.timestamp


def block_number() -> int:
    return boa.env.evm.patch.block_number


def mine(blocks: int = 1, seconds: int = 0, salt: bytes = b"") -> None:
    """Advance blocks/time and give the new history distinct block hashes (boa has none by default)."""
    if blocks:
        boa.env.time_travel(blocks=blocks)
    if seconds:
        boa.env.time_travel(seconds=seconds)
    n = block_number()
    boa.env.evm.patch.prev_hashes = [keccak(salt + max(n - 1 - i, 0).to_bytes(32, "big")) for i in range(256)]


@dataclass
class EnclaveKey:
    """A secp256k1 key standing in for the enclave's (the contract sees only signatures and the public key)."""

    secret: bytes

    @property
    def public_key(self) -> bytes:
        return keys.PrivateKey(self.secret).public_key.to_bytes()

    @property
    def address(self) -> str:
        return keys.PrivateKey(self.secret).public_key.to_checksum_address()


@dataclass
class Node:
    id: int
    operator: str
    key: EnclaveKey
    attestation_digest: bytes
    expiry: int


@dataclass
class World:
    owner: str
    core: object
    arbiter: object
    committee: object
    admission: object
    members: list[bytes]
    nodes: list[Node] = field(default_factory=list)
    _key_counter: int = 0
    # An operator account for tests that register by hand (attestations default to it).
    spare_operator: str = "0x" + keccak(b"spare operator")[:20].hex()

    # ---- attestation -------------------------------------------------------------
    def committee_proof(self, quote: bytes, valid_until: int, signers: list[bytes] | None = None) -> bytes:
        chosen = self.members[:2] if signers is None else signers
        return committee_proof(quote, valid_until, chosen, self.committee.address, chain_id())

    def new_key(self) -> EnclaveKey:
        self._key_counter += 1
        return EnclaveKey(keccak(b"enclave" + self._key_counter.to_bytes(4, "big")))

    def attestation(self, key: EnclaveKey, operator: str | None = None, expiry: int | None = None,
                    version: bytes = VERSION, base: bytes = TDX_QUOTE):
        """A quote binding `key` to `operator` (REPORTDATA; by default `spare_operator`), with a committee proof."""
        operator = operator or self.spare_operator
        expiry = expiry if expiry is not None else now() + 7 * 86400
        quote = quote_with(report_data(key.address, version, expiry, self.core.address, chain_id(), operator), base)
        return quote, expiry, self.committee_proof(quote, expiry + 86400)

    def register(self, stake: int = ETHER, models: list[bytes] | None = None, operator: str | None = None,
                 key: EnclaveKey | None = None) -> Node:
        operator = operator or boa.env.generate_address()
        boa.env.set_balance(operator, boa.env.get_balance(operator) + stake + 10 * ETHER)
        key = key or self.new_key()
        quote, expiry, proof = self.attestation(key, operator)
        with boa.env.prank(operator):
            node_id = self.core.register(key.public_key, models or [MODEL], quote, VERSION, expiry, proof, value=stake)
        node = Node(node_id, operator, key, keccak(quote), expiry)
        self.nodes.append(node)
        return node

    # ---- requests and results ----------------------------------------------------
    def fund(self, account: str, amount: int = 10 * ETHER) -> None:
        boa.env.set_balance(account, boa.env.get_balance(account) + amount)

    def request(self, requester: str, payload: bytes = b"x" * 64, fee: int | None = None, callback: str = ZERO,
                callback_gas: int = 0, deadline: int | None = None, recipients: list[int] | None = None,
                output_key: bytes = b"", model: bytes = MODEL) -> tuple:
        """Request as `requester`, paying `fee` (by default the least the core accepts)."""
        deadline = deadline if deadline is not None else now() + 600
        if fee is None:
            fee = self.core.requestFee(model, callback_gas if callback != ZERO else 0)
        with boa.env.prank(requester):
            rid = self.core.request(model, payload, callback, callback_gas, deadline, output_key, recipients or [], value=fee)
        event = [e for e in self.core.get_logs() if type(e).__name__ == "Requested"][0]
        rh = keccak(eth_abi.encode(["uint256[]"], [list(event.recipients)])) if event.recipients else ZERO32
        return (rid, event.requester, model, keccak(payload), event.callback, event.callbackGas, event.fee,
                event.deadline, event.node, rh)

    def node(self, node_id: int) -> Node:
        return next(n for n in self.nodes if n.id == node_id)

    def sign_result(self, node: Node, req: tuple, output: bytes = b"positive", status: int = 0,
                    commitment: bytes | None = None, key: EnclaveKey | None = None, digest: bytes | None = None,
                    expiry: int | None = None, request_id: bytes | None = None, role: int = ROLE_EXECUTE,
                    as_node: int | None = None) -> tuple:
        """The Result tuple `node` posts in `role` (signed over node id `as_node`, by default its own)."""
        rid = request_id or req[0]
        commitment = commitment or plaintext_commitment(rid, status, output)
        digest = digest or node.attestation_digest
        message = result_message(rid, node.id if as_node is None else as_node, role, req[2], req[3], status, output,
                                 commitment, digest)
        v, r, s = sign_typed((key or node.key).secret, result_domain(self.core.address, chain_id()), "Result",
                             RESULT_TYPES, message)
        return (status, output, commitment, digest, expiry or node.expiry, v, r, s)

    def fulfil(self, req: tuple, res: tuple | None = None, sender: str | None = None) -> tuple:
        """Fulfil and return the Fulfilment tuple the contract stored."""
        res = res or self.sign_result(self.node(req[8]), req)
        with boa.env.prank(sender or self.node(req[8]).operator):
            self.core.fulfil(req, res)
        fulfilled = [e for e in self.core.get_logs() if type(e).__name__ == "Fulfilled"][-1]
        return (res[2], block_number(), now(), 1, 0, res[0], fulfilled.paramsVersion)

    def set_params(self, **changes) -> None:
        """setParams with `changes` over the parameters in force (the test owner is an account, not Governance)."""
        current = self.core.params()
        self.core.setParams(tuple(changes.get(n, getattr(current, n)) for n in current._fields))

    def accounted_ok(self) -> bool:
        return boa.env.get_balance(self.core.address) == self.core.accounted()


def deploy_world(members: int = 3, threshold: int = 2) -> World:
    owner = boa.env.generate_address()
    boa.env.eoa = owner
    member_keys = [keccak(b"committee" + bytes([i])) for i in range(members)]
    committee = factory("CommitteeVerifier.vy").deploy([Account.from_key(k).address for k in member_keys], threshold)
    admission = factory("Admission.vy").deploy(committee.address)
    core = factory("Cloister.vy").deploy(admission.address)
    wrap_check = factory("WrapCheck.vy").deploy()
    arbiter = factory("Arbiter.vy").deploy(core.address, wrap_check.address)
    core.setArbiter(arbiter.address)
    core.setModel(MODEL, MODEL_FEE, True, True)
    admission.setWorkload(workload_id(TDX_QUOTE), True)
    return World(owner, core, arbiter, committee, admission, member_keys)


def stateful_settings(max_examples: int, steps: int):
    """Hypothesis settings of the stateful suites. Derandomized: the same runs every time, so their coverage
    checks cannot flake. Shrinking is left out: on this 2-core machine it can take many minutes; the
    printed step list is kept."""
    from hypothesis import HealthCheck, Phase, settings
    return settings(max_examples=max_examples, stateful_step_count=steps, deadline=None, derandomize=True,
                    phases=[Phase.explicit, Phase.reuse, Phase.generate], suppress_health_check=list(HealthCheck))


REQUEST_TYPE = "(bytes32,address,bytes32,bytes32,address,uint256,uint256,uint256,uint256,bytes32)"
FULFILMENT_TYPE = "(bytes32,uint256,uint256,uint256,uint256,uint256,uint256)"


def pending_hash(req: tuple) -> bytes:
    return keccak(eth_abi.encode([REQUEST_TYPE], [req]))


def fulfilled_hash(req: tuple, ful: tuple) -> bytes:
    return keccak(eth_abi.encode([REQUEST_TYPE, FULFILMENT_TYPE], [req, ful]))


def decode_words(words: list[int], epoch: int) -> list[tuple[int, int]]:
    """An independent reading of lib/sampler.vy's draw history: per slot, the newest entry in force at `epoch`."""
    slots = []
    for word in words:
        entries = [(word >> (80 * i)) & ((1 << 80) - 1) for i in range(3)]
        live = next((e for e in entries if e >> 56 <= epoch), 0)
        slots.append((live & (2**24 - 1), (live >> 24) & (2**32 - 1)) if (live >> 24) & (2**32 - 1) else (0, 0))
    return slots
