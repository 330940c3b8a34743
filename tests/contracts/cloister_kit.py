"""Test kit for the Cloister contracts: deployment, enclave keys, quotes, signatures.

Signatures and typed-data digests are produced with eth-account / eth-keys (independent
EIP-712 implementations), never with the contracts' own code.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import boa
import eth_abi
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_keys import keys
from eth_utils import keccak, to_checksum_address

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT / "contracts"
TDX_QUOTE = (ROOT / "fixtures" / "dcap" / "tdx_quote").read_bytes()
SGX_QUOTE = (ROOT / "fixtures" / "dcap" / "sgx_quote").read_bytes()
ZERO = "0x0000000000000000000000000000000000000000"
ZERO32 = b"\x00" * 32
ETHER = 10**18
MODEL = keccak(b"all-MiniLM-L6-v2/zero-shot-classification")
MODEL_FEE = 10**15
VERSION = keccak(b"cloister-node 0.1.0")

RESULT_TYPES = [
    {"name": "requestId", "type": "bytes32"},
    {"name": "model", "type": "bytes32"},
    {"name": "inputHash", "type": "bytes32"},
    {"name": "outputCommitment", "type": "bytes32"},
    {"name": "attestationDigest", "type": "bytes32"},
]
ACCEPTANCE_TYPES = [
    {"name": "quoteDigest", "type": "bytes32"},
    {"name": "workloadId", "type": "bytes32"},
    {"name": "reportDataHash", "type": "bytes32"},
    {"name": "validUntil", "type": "uint64"},
]
DOMAIN_TYPES = [
    {"name": "name", "type": "string"},
    {"name": "version", "type": "string"},
    {"name": "chainId", "type": "uint256"},
    {"name": "verifyingContract", "type": "address"},
]

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


def sign_typed(private_key: bytes, domain: dict, primary: str, types: list, message: dict) -> tuple[int, bytes, bytes]:
    data = {
        "types": {"EIP712Domain": DOMAIN_TYPES, primary: types},
        "primaryType": primary,
        "domain": domain,
        "message": message,
    }
    signed = Account.sign_message(encode_typed_data(full_message=data), private_key)
    return signed.v, signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big")


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


def ext_data_hash(version: bytes, expiry: int, registry: str, chain: int) -> bytes:
    return keccak(eth_abi.encode(["uint256", "address", "bytes32", "uint64"], [chain, registry, version, expiry]))


def report_data(signer: str, version: bytes, expiry: int, registry: str, chain: int) -> bytes:
    return bytes.fromhex(signer[2:]) + ext_data_hash(version, expiry, registry, chain) + b"\x00" * 12


def quote_with(report: bytes, base: bytes = TDX_QUOTE) -> bytes:
    """The real Intel TDX quote with REPORTDATA replaced (offset 568 for TDX v4, 368 for SGX v3)."""
    offset = 568 if base[4] == 0x81 else 368
    q = bytearray(base)
    q[offset:offset + 64] = report
    return bytes(q)


def workload_id(quote: bytes) -> bytes:
    if quote[4] == 0x81:
        return keccak(quote[184:232] + quote[376:568])
    return keccak(quote[112:144])


def plaintext_commitment(request_id: bytes, status: int, output: bytes) -> bytes:
    return keccak(request_id + bytes([status]) + output)


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
    members: list[bytes]
    nodes: list[Node] = field(default_factory=list)
    _key_counter: int = 0

    # ---- attestation -------------------------------------------------------------
    def committee_proof(self, quote: bytes, valid_until: int, signers: list[bytes] | None = None) -> bytes:
        rd = quote[568:632] if quote[4] == 0x81 else quote[368:432]
        domain = {"name": "CloisterAttestationCommittee", "version": "1", "chainId": chain_id(),
                  "verifyingContract": self.committee.address}
        message = {"quoteDigest": keccak(quote), "workloadId": workload_id(quote),
                   "reportDataHash": keccak(rd), "validUntil": valid_until}
        chosen = self.members[:2] if signers is None else signers
        chosen = sorted(chosen, key=lambda k: int(Account.from_key(k).address, 16))
        sigs = b""
        for k in chosen:
            v, r, s = sign_typed(k, domain, "Acceptance", ACCEPTANCE_TYPES, message)
            sigs += r + s + bytes([v])
        return eth_abi.encode(["uint64", "bytes"], [valid_until, sigs])

    def new_key(self) -> EnclaveKey:
        self._key_counter += 1
        return EnclaveKey(keccak(b"enclave" + self._key_counter.to_bytes(4, "big")))

    def attestation(self, key: EnclaveKey, expiry: int | None = None, version: bytes = VERSION, base: bytes = TDX_QUOTE):
        expiry = expiry if expiry is not None else now() + 7 * 86400
        quote = quote_with(report_data(key.address, version, expiry, self.core.address, chain_id()), base)
        return quote, expiry, self.committee_proof(quote, expiry + 86400)

    def register(self, stake: int = ETHER, models: list[bytes] | None = None, operator: str | None = None) -> Node:
        operator = operator or boa.env.generate_address()
        boa.env.set_balance(operator, boa.env.get_balance(operator) + stake + 10 * ETHER)
        key = self.new_key()
        quote, expiry, proof = self.attestation(key)
        with boa.env.prank(operator):
            node_id = self.core.register(key.public_key, models or [MODEL], quote, VERSION, expiry, proof, value=stake)
        node = Node(node_id, operator, key, keccak(quote), expiry)
        self.nodes.append(node)
        return node

    # ---- requests and results ----------------------------------------------------
    def fund(self, account: str, amount: int = 10 * ETHER) -> None:
        boa.env.set_balance(account, boa.env.get_balance(account) + amount)

    def request(self, requester: str, payload: bytes = b"x" * 64, fee: int = MODEL_FEE, callback: str = ZERO,
                callback_gas: int = 0, deadline: int | None = None, recipients: list[int] | None = None,
                output_key: bytes = b"", model: bytes = MODEL) -> tuple:
        deadline = deadline if deadline is not None else now() + 600
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
                    expiry: int | None = None, request_id: bytes | None = None) -> tuple:
        rid = request_id or req[0]
        commitment = commitment or plaintext_commitment(rid, status, output)
        digest = digest or node.attestation_digest
        domain = {"name": "Cloister", "version": "1", "chainId": chain_id(), "verifyingContract": self.core.address}
        message = {"requestId": rid, "model": req[2], "inputHash": req[3], "outputCommitment": commitment,
                   "attestationDigest": digest}
        v, r, s = sign_typed((key or node.key).secret, domain, "Result", RESULT_TYPES, message)
        return (status, output, commitment, digest, expiry or node.expiry, v, r, s)

    def fulfil(self, req: tuple, res: tuple | None = None, sender: str | None = None) -> tuple:
        """Fulfil and return the Fulfilment tuple the contract stored."""
        res = res or self.sign_result(self.node(req[8]), req)
        with boa.env.prank(sender or self.node(req[8]).operator):
            self.core.fulfil(req, res)
        return (res[2], block_number(), now(), 1, 0)

    def accounted_ok(self) -> bool:
        return boa.env.get_balance(self.core.address) == self.core.accounted()


def deploy_world(members: int = 3, threshold: int = 2) -> World:
    owner = boa.env.generate_address()
    boa.env.eoa = owner
    member_keys = [keccak(b"committee" + bytes([i])) for i in range(members)]
    committee = factory("CommitteeVerifier.vy").deploy([Account.from_key(k).address for k in member_keys], threshold)
    core = factory("Cloister.vy").deploy(committee.address)
    arbiter = factory("Arbiter.vy").deploy(core.address)
    core.setArbiter(arbiter.address)
    core.setModel(MODEL, MODEL_FEE, True, True)
    core.setWorkload(workload_id(TDX_QUOTE), True)
    return World(owner, core, arbiter, committee, member_keys)
