"""Off-chain halves of the Cloister signatures, with eth-account/eth-keys (independent of the contracts).

Used by the gas script, the integration tests and the in-process contract tests:
REPORTDATA binding, quote patching, committee acceptances (EIP-712) and result signatures (EIP-712).
"""
from __future__ import annotations

from pathlib import Path

import eth_abi
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_keys import keys
from eth_utils import keccak

ROOT = Path(__file__).resolve().parent.parent
TDX_QUOTE = (ROOT / "fixtures" / "dcap" / "tdx_quote").read_bytes()
SGX_QUOTE = (ROOT / "fixtures" / "dcap" / "sgx_quote").read_bytes()

DOMAIN_TYPES = [
    {"name": "name", "type": "string"},
    {"name": "version", "type": "string"},
    {"name": "chainId", "type": "uint256"},
    {"name": "verifyingContract", "type": "address"},
]
# Protocol v2: a signature covers every field of what is posted (status, output), the node that posts it
# and the role it is posted in, so a relayer cannot change a result and a copied key cannot lend its
# signature to another node or another role.
RESULT_TYPES = [
    {"name": "requestId", "type": "bytes32"},
    {"name": "node", "type": "uint256"},
    {"name": "role", "type": "uint8"},
    {"name": "model", "type": "bytes32"},
    {"name": "inputHash", "type": "bytes32"},
    {"name": "status", "type": "uint8"},
    {"name": "outputHash", "type": "bytes32"},
    {"name": "outputCommitment", "type": "bytes32"},
    {"name": "attestationDigest", "type": "bytes32"},
]
DOMAIN_VERSION = "2"
# Roles a Result signature is bound to.
ROLE_EXECUTE, ROLE_VERIFY, ROLE_CHALLENGE, ROLE_VOTE = 1, 2, 3, 4
ACCEPTANCE_TYPES = [
    {"name": "quoteDigest", "type": "bytes32"},
    {"name": "workloadId", "type": "bytes32"},
    {"name": "reportDataHash", "type": "bytes32"},
    {"name": "validUntil", "type": "uint64"},
]


def sign_typed(private_key: bytes, domain: dict, primary: str, types: list, message: dict) -> tuple[int, bytes, bytes]:
    data = {"types": {"EIP712Domain": DOMAIN_TYPES, primary: types}, "primaryType": primary,
            "domain": domain, "message": message}
    signed = Account.sign_message(encode_typed_data(full_message=data), private_key)
    return signed.v, signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big")


def public_key(secret: bytes) -> bytes:
    """64-byte uncompressed public key (x ‖ y) the registry derives the signer address from."""
    return keys.PrivateKey(secret).public_key.to_bytes()


def signer_address(secret: bytes) -> str:
    return keys.PrivateKey(secret).public_key.to_checksum_address()


def ext_data(version: bytes, expiry: int, registry: str, chain_id: int, operator: str) -> bytes:
    """abi.encode(uint256 chainId, address registry, address operator, bytes32 softwareVersion, uint64 expiry)."""
    return eth_abi.encode(["uint256", "address", "address", "bytes32", "uint64"], [chain_id, registry, operator, version, expiry])


def ext_data_hash(version: bytes, expiry: int, registry: str, chain_id: int, operator: str) -> bytes:
    return keccak(ext_data(version, expiry, registry, chain_id, operator))


def report_data(signer: str, version: bytes, expiry: int, registry: str, chain_id: int, operator: str) -> bytes:
    return bytes.fromhex(signer[2:]) + ext_data_hash(version, expiry, registry, chain_id, operator) + b"\x00" * 12


def report_data_offset(quote: bytes) -> int:
    return 568 if quote[4] == 0x81 else 368


def quote_with(report: bytes, base: bytes = TDX_QUOTE) -> bytes:
    """A real Intel quote with REPORTDATA replaced (its Intel signature no longer holds; the committee vouches)."""
    offset = report_data_offset(base)
    return base[:offset] + report + base[offset + 64:]


def workload_id(quote: bytes) -> bytes:
    """TDX: keccak256(TDATTRIBUTES ‖ XFAM ‖ MRTD ‖ MRCONFIGID ‖ MROWNER ‖ MROWNERCONFIG ‖ RTMR0..3);
    SGX: keccak256(MISCSELECT ‖ ATTRIBUTES ‖ MRENCLAVE ‖ MRSIGNER ‖ ISVPRODID) (raw quote bytes)."""
    if quote[4] == 0x81:
        return keccak(quote[168:568])
    return keccak(quote[64:68] + quote[96:144] + quote[176:208] + quote[304:306])


def committee_proof(quote: bytes, valid_until: int, member_keys: list[bytes], committee: str, chain_id: int) -> bytes:
    offset = report_data_offset(quote)
    domain = {"name": "CloisterAttestationCommittee", "version": "1", "chainId": chain_id, "verifyingContract": committee}
    message = {"quoteDigest": keccak(quote), "workloadId": workload_id(quote),
               "reportDataHash": keccak(quote[offset:offset + 64]), "validUntil": valid_until}
    ordered = sorted(member_keys, key=lambda k: int(Account.from_key(k).address, 16))
    signatures = b""
    for key in ordered:
        v, r, s = sign_typed(key, domain, "Acceptance", ACCEPTANCE_TYPES, message)
        signatures += r + s + bytes([v])
    return eth_abi.encode(["uint64", "bytes"], [valid_until, signatures])


def plaintext_commitment(request_id: bytes, status: int, output: bytes) -> bytes:
    return keccak(request_id + bytes([status]) + output)


def result_message(request_id: bytes, node: int, role: int, model: bytes, input_hash: bytes, status: int, output: bytes,
                   commitment: bytes, attestation_digest: bytes) -> dict:
    return {"requestId": request_id, "node": node, "role": role, "model": model, "inputHash": input_hash,
            "status": status, "outputHash": keccak(output), "outputCommitment": commitment,
            "attestationDigest": attestation_digest}


def result_domain(core: str, chain_id: int) -> dict:
    return {"name": "Cloister", "version": DOMAIN_VERSION, "chainId": chain_id, "verifyingContract": core}


def sign_result(secret: bytes, core: str, chain_id: int, request_id: bytes, node: int, role: int, model: bytes,
                input_hash: bytes, status: int, output: bytes, commitment: bytes,
                attestation_digest: bytes) -> tuple[int, bytes, bytes]:
    message = result_message(request_id, node, role, model, input_hash, status, output, commitment, attestation_digest)
    return sign_typed(secret, result_domain(core, chain_id), "Result", RESULT_TYPES, message)
