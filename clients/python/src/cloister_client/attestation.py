"""A requester's own check of a node's attestation before encrypting to it, as the Swift client's
`AttestationCheck` does: the quote the registry admitted is read from the node's registration
transaction and checked against the registry's digest, verified with DCAP (dcap-qvl) under the
requester's trust anchor and collateral, its TCB status must be acceptable and the TD or enclave not a
debug one, and REPORTDATA must bind the node's key to this chain, core, operator, software version and
expiry. The committee's word is not taken for any of it.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import dcap_qvl
import eth_abi
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from eth_utils import keccak, to_checksum_address

# TCB levels accepted by default; out-of-date and revoked platforms are refused.
ACCEPTED_STATUSES = frozenset({"UpToDate", "SWHardeningNeeded", "ConfigurationNeeded",
                               "ConfigurationAndSWHardeningNeeded"})
NODE_ATTESTED = keccak(text="NodeAttested(uint256,address,bytes,bytes32,bytes32,bytes32,uint256)")
REGISTER = keccak(text="register(bytes,bytes32[],bytes,bytes32,uint256,bytes)")[:4]
REATTEST = keccak(text="reattest(uint256,bytes,bytes,bytes32,uint256,bytes)")[:4]


class AttestationError(Exception):
    """Why a node's attestation is not trusted."""


@dataclass(frozen=True)
class Trust:
    """What quotes are verified against: collateral (dcap-qvl's QuoteCollateralV3 JSON, from Intel's PCS or
    a PCCS) and a root CA (None: Intel's SGX root, which dcap-qvl pins)."""

    collateral_json: str = field(repr=False)
    root_ca_der: bytes | None = field(default=None, repr=False)
    accepted: frozenset = ACCEPTED_STATUSES

    @classmethod
    def intel(cls, collateral_path: str | Path) -> Trust:
        return cls(Path(collateral_path).read_text())

    @classmethod
    def simulated(cls, folder: str | Path) -> Trust:
        """The simulated TEE of a development chain: the `root_ca.pem` and `collateral.json` that
        `cloister attest simulate --seed SEED --out FOLDER` writes (the dev network writes them to
        STATE/simulated-tee/). Proves nothing about hardware; for local chains only."""
        folder = Path(folder)
        root = x509.load_pem_x509_certificate((folder / "root_ca.pem").read_bytes())
        return cls((folder / "collateral.json").read_text(), root.public_bytes(serialization.Encoding.DER))


@dataclass(frozen=True)
class VerifiedNode:
    id: int
    public_key: bytes  # 64 bytes, x ‖ y
    status: str  # the TCB status
    quote: bytes = field(repr=False)


def registration_quote(w3, core: str, node_id: int, digest: bytes, from_block: int) -> bytes:
    """The quote of node `node_id`'s registration whose keccak256 is `digest`, read from the calldata of
    the register or reattest transaction that emitted its NodeAttested event."""
    logs = w3.eth.get_logs({"address": core, "fromBlock": from_block, "toBlock": "latest",
                            "topics": ["0x" + NODE_ATTESTED.hex(), "0x" + node_id.to_bytes(32, "big").hex()]})
    for log in reversed(logs):
        if log.get("removed"):
            continue
        attested = eth_abi.decode(["bytes", "bytes32", "bytes32", "bytes32", "uint256"], bytes(log["data"]))
        if attested[1] != digest:
            continue
        calldata = bytes(w3.eth.get_transaction(log["transactionHash"])["input"])
        if calldata[:4] == REGISTER:
            quote = eth_abi.decode(["bytes", "bytes32[]", "bytes", "bytes32", "uint256", "bytes"], calldata[4:])[2]
        elif calldata[:4] == REATTEST:
            quote = eth_abi.decode(["uint256", "bytes", "bytes", "bytes32", "uint256", "bytes"], calldata[4:])[2]
        else:
            break
        if keccak(quote) != digest:
            break
        return quote
    raise AttestationError(f"node {node_id}: the registered quote was not found in a register/reattest call "
                           "(registered through a contract?)")


def _verify_quote(quote: bytes, trust: Trust, at: int):
    collateral = dcap_qvl.QuoteCollateralV3.from_json(trust.collateral_json)
    if trust.root_ca_der is None:
        return dcap_qvl.verify(quote, collateral, at)
    return dcap_qvl.verify_with_root_ca(quote, collateral, trust.root_ca_der, at)


def check_node(w3, deployment, node_id: int, node: dict, trust: Trust, at: int | None = None) -> VerifiedNode:
    """Verifies node `node_id` (`node` is its `nodes(id)` record as a dict) or raises AttestationError."""
    core = deployment.address("Cloister")
    quote = registration_quote(w3, core, node_id, node["attestationDigest"], deployment.deployment_block)
    try:
        report = _verify_quote(quote, trust, int(time.time()) if at is None else at)
    except ValueError as error:
        raise AttestationError(f"node {node_id}: its quote does not verify: {error}") from None
    if report.status not in trust.accepted:
        raise AttestationError(f"node {node_id}: its quote does not verify: TCB status {report.status}")
    body = json.loads(report.to_json())["report"]
    (kind, fields), = body.items()
    if kind.startswith("TD"):
        debug = bytes.fromhex(fields["td_attributes"])[0] & 0x01
    else:
        debug = bytes.fromhex(fields["attributes"])[0] & 0x02
    if debug:
        raise AttestationError(f"node {node_id}: a debug TD or enclave")
    report_data = bytes.fromhex(fields["report_data"])
    public_key = bytes(node["publicKey"])
    signer = to_checksum_address(keccak(public_key)[12:])
    ext = eth_abi.encode(["uint256", "address", "address", "bytes32", "uint64"],
                         [deployment.chain_id, core, node["operator"], node["softwareVersion"], node["attestationExpiry"]])
    if (signer != to_checksum_address(node["signer"]) or report_data[:20] != bytes.fromhex(signer[2:])
            or report_data[20:52] != keccak(ext)):
        raise AttestationError(f"node {node_id}: REPORTDATA does not bind its key to this chain, core, operator, "
                               "version and expiry")
    return VerifiedNode(node_id, public_key, report.status, quote)
