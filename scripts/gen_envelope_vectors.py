#!/usr/bin/env python3
"""Writes fixtures/envelope/vectors.json: envelopes and encrypted outputs built by the independent
Python implementation (tests/envelope/envelope_reference.py) from fixed secrets, so the Swift tests
check that they open them and that sealing with the same secrets gives the same bytes.
The vectors are also quoted in docs/envelope.md. Run: .venv/bin/python scripts/gen_envelope_vectors.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests/envelope"))
sys.path.insert(0, str(REPO / "scripts"))

import cloister_signing as signing  # noqa: E402
import envelope_reference as ref  # noqa: E402
from coincurve import PrivateKey  # noqa: E402
from eth_abi import encode as abi_encode  # noqa: E402
from eth_account import Account  # noqa: E402
from eth_account.messages import encode_typed_data  # noqa: E402

OUT = REPO / "fixtures/envelope/vectors.json"
CONTRACT = bytes.fromhex("5fbdb2315678afecb367f032d93f642f64180aa3")


def secret(label: str) -> bytes:
    """A fixed secp256k1 scalar (keccak256 of a label is below the group order for these labels)."""
    return ref.keccak256(b"cloister test vector: " + label.encode())


def public(secret_key: bytes) -> bytes:
    return PrivateKey(secret_key).public_key.format(compressed=True)


def envelope_case(name: str, payload: bytes, recipients: int, chain_id: int, output: bytes) -> dict:
    requester_secret = secret(name + " requester")
    ctx = ref.Context(chain_id, CONTRACT, ref.address_of(public(requester_secret)), public(requester_secret))
    recipient_secrets = [secret(f"{name} recipient {i}") for i in range(recipients)]
    data_key = secret(name + " data key")
    ephemeral = secret(name + " ephemeral")
    nonce = secret(name + " nonce")[:ref.NONCE]
    envelope = ref.seal(payload, [public(s) for s in recipient_secrets], ctx, data_key, ephemeral, nonce)
    salt = ref.commitment_salt(data_key)
    return {
        "name": name,
        "chainId": chain_id,
        "contract": "0x" + CONTRACT.hex(),
        "requester": "0x" + ctx.requester.hex(),
        "outputKey": "0x" + ctx.output_key.hex(),
        "recipientSecrets": ["0x" + s.hex() for s in recipient_secrets],
        "recipientPublicKeys": ["0x" + public(s).hex() for s in recipient_secrets],
        "dataKey": "0x" + data_key.hex(),
        "ephemeralSecret": "0x" + ephemeral.hex(),
        "payloadNonce": "0x" + nonce.hex(),
        "payload": "0x" + payload.hex(),
        "envelope": "0x" + envelope.hex(),
        "commitmentSalt": "0x" + salt.hex(),
        "output": "0x" + output.hex(),
        "outputCommitment": "0x" + ref.commitment(salt, output).hex(),
    }


def output_case(name: str, output: bytes, chain_id: int) -> dict:
    requester_secret = secret(name + " requester")
    request_id = ref.keccak256(name.encode())
    ctx = ref.OutputContext(chain_id, CONTRACT, request_id)
    ephemeral = secret(name + " ephemeral")
    return {
        "name": name,
        "chainId": chain_id,
        "contract": "0x" + CONTRACT.hex(),
        "requestId": "0x" + request_id.hex(),
        "requesterSecret": "0x" + requester_secret.hex(),
        "requesterPublicKey": "0x" + public(requester_secret).hex(),
        "ephemeralSecret": "0x" + ephemeral.hex(),
        "output": "0x" + output.hex(),
        "encryptedOutput": "0x" + ref.seal_output(output, public(requester_secret), ctx, ephemeral).hex(),
    }


def report_data_case(chain_id: int, software: str, expiry: int, operator: str) -> dict:
    """REPORTDATA = signer (20) ‖ keccak256(extData) ‖ zeros (12), with extData =
    abi.encode(uint256 chainId, address registry, address operator, bytes32 softwareVersion, uint64 expiry)."""
    signer = ref.address_of(public(secret("report data signer")))
    operator_address = ref.address_of(public(secret(operator)))
    version = ref.keccak256(software.encode())
    ext_data = abi_encode(["uint256", "address", "address", "bytes32", "uint64"],
                          [chain_id, CONTRACT, operator_address, version, expiry])
    assert ext_data == signing.ext_data(version, expiry, "0x" + CONTRACT.hex(), chain_id, "0x" + operator_address.hex())
    return {
        "signer": "0x" + signer.hex(),
        "chainId": chain_id,
        "registry": "0x" + CONTRACT.hex(),
        "operator": "0x" + operator_address.hex(),
        "softwareVersion": "0x" + version.hex(),
        "expiry": expiry,
        "extData": "0x" + ext_data.hex(),
        "reportData": "0x" + (signer + ref.keccak256(ext_data) + bytes(12)).hex(),
    }


def result_case(name: str, chain_id: int) -> dict:
    """The EIP-712 Result of contracts/lib/typed_sig.vy, hashed and signed by eth-account."""
    signer = secret(name + " enclave key")
    message = {field: ref.keccak256(f"{name} {field}".encode())
               for field in ("requestId", "model", "inputHash", "outputCommitment", "attestationDigest")}
    typed = {
        "types": {
            "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
                             {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}],
            "Result": [{"name": field, "type": "bytes32"} for field in message],
        },
        "primaryType": "Result",
        "domain": {"name": "Cloister", "version": "1", "chainId": chain_id,
                   "verifyingContract": "0x" + CONTRACT.hex()},
        "message": message,
    }
    signable = encode_typed_data(full_message=typed)
    digest = ref.keccak256(b"\x19" + signable.version + signable.header + signable.body)
    signed = Account.sign_message(signable, signer)
    return {
        "name": name,
        "chainId": chain_id,
        "contract": "0x" + CONTRACT.hex(),
        "signerSecret": "0x" + signer.hex(),
        "signer": Account.from_key(signer).address,
        **{field: "0x" + value.hex() for field, value in message.items()},
        "digest": "0x" + digest.hex(),
        "signature": "0x" + bytes(signed.signature).hex(),
    }


def main() -> None:
    vectors = {
        "envelopes": [
            envelope_case("one recipient", b"Is this review positive? 'Great battery life.'", 1, 31337, b"positive"),
            envelope_case("three recipients", b"Summarise: the quarterly report shows growth.", 3, 1, b"growth"),
            envelope_case("empty payload", b"", 2, 11155111, b""),
            envelope_case("binary payload", bytes((i * 37 + 11) % 256 for i in range(1000)), 5, 8453, b"\x01"),
        ],
        "reportData": [
            report_data_case(31337, "cloister 0.1.0", 1_800_000_000, "operator one"),
            report_data_case(2**63 + 5, "cloister 9.9.9", 2**64 - 1, "operator two"),
        ],
        "results": [result_case("result one", 31337), result_case("result two", 1)],
        "outputs": [
            output_case("label output", b"negative", 31337),
            output_case("empty output", b"", 1),
            output_case("embedding output", bytes((i * 13) % 256 for i in range(384)), 8453),
        ],
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(vectors, indent=1) + "\n")
    print(f"wrote {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
