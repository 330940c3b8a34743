#!/usr/bin/env python3
"""Writes fixtures/envelope/vectors.json: version 2 envelopes (one with a deliberately broken wrap) and encrypted outputs built by the independent
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


def envelope_case(name: str, payload: bytes, recipients: int, chain_id: int, output: bytes,
                  broken: int | None = None) -> dict:
    """A version 2 envelope; with `broken`, that recipient's wrapped key has its lowest bit flipped
    before the payload is sealed (the griefing envelope of issue 12: only that recipient cannot open it)."""
    requester_secret = secret(name + " requester")
    ctx = ref.Context(chain_id, CONTRACT, ref.address_of(public(requester_secret)), public(requester_secret))
    recipient_secrets = [secret(f"{name} recipient {i}") for i in range(recipients)]
    ephemeral_secrets = [secret(f"{name} ephemeral {i}") for i in range(recipients)]
    data_key = secret(name + " data key")
    nonce = secret(name + " nonce")[:ref.NONCE]
    envelope = ref.seal(payload, [public(s) for s in recipient_secrets], ctx, data_key, ephemeral_secrets, nonce, broken)
    parsed = ref.parse(envelope)
    salt = ref.commitment_salt(data_key)
    shared = [ref.shared_address(e, public(s)) for e, s in zip(ephemeral_secrets, recipient_secrets)]
    for index, e in enumerate(ephemeral_secrets):
        proof = ref.wrap_proof(envelope, index, e)
        assert proof["sharedAddress"] == shared[index] and proof["opens"] == (index != broken)
    return {
        "name": name,
        "chainId": chain_id,
        "contract": "0x" + CONTRACT.hex(),
        "requester": "0x" + ctx.requester.hex(),
        "outputKey": "0x" + ctx.output_key.hex(),
        "recipientSecrets": ["0x" + s.hex() for s in recipient_secrets],
        "recipientPublicKeys": ["0x" + public(s).hex() for s in recipient_secrets],
        "ephemeralSecrets": ["0x" + e.hex() for e in ephemeral_secrets],
        "ephemeralPublicKeys": ["0x" + PrivateKey(e).public_key.format(compressed=False)[1:].hex() for e in ephemeral_secrets],
        "sharedAddresses": ["0x" + a.hex() for a in shared],
        "wrapKeys": ["0x" + ref.kek(parsed.key_header, a, entry.ephemeral, entry.recipient).hex()
                     for a, entry in zip(shared, parsed.entries)],
        "brokenRecipient": broken,
        "dataKey": "0x" + data_key.hex(),
        "keyCommitment": "0x" + ref.key_commitment(data_key).hex(),
        "payloadNonce": "0x" + nonce.hex(),
        "payload": "0x" + payload.hex(),
        "payloadKey": "0x" + ref.payload_key(data_key).hex(),
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


def result_case(name: str, chain_id: int, node: int, role: int, status: int, output: bytes) -> dict:
    """The EIP-712 Result of contracts/lib/typed_sig.vy (protocol v2: the types, domain and message of
    scripts/cloister_signing.py, which the contract tests sign with), hashed and signed by eth-account."""
    signer = secret(name + " enclave key")
    fields = {field: ref.keccak256(f"{name} {field}".encode())
              for field in ("requestId", "model", "inputHash", "outputCommitment", "attestationDigest")}
    message = signing.result_message(fields["requestId"], node, role, fields["model"], fields["inputHash"], status, output,
                                     fields["outputCommitment"], fields["attestationDigest"])
    domain = signing.result_domain("0x" + CONTRACT.hex(), chain_id)
    typed = {"types": {"EIP712Domain": signing.DOMAIN_TYPES, "Result": signing.RESULT_TYPES},
             "primaryType": "Result", "domain": domain, "message": message}
    signable = encode_typed_data(full_message=typed)
    digest = ref.keccak256(b"\x19" + signable.version + signable.header + signable.body)
    signed = Account.sign_message(signable, signer)
    assert signing.sign_result(signer, domain["verifyingContract"], chain_id, fields["requestId"], node, role, fields["model"],
                               fields["inputHash"], status, output, fields["outputCommitment"],
                               fields["attestationDigest"]) == (signed.v, signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big"))
    return {
        "name": name,
        "chainId": chain_id,
        "contract": "0x" + CONTRACT.hex(),
        "domainVersion": domain["version"],
        "signerSecret": "0x" + signer.hex(),
        "signer": Account.from_key(signer).address,
        **{field: "0x" + value.hex() for field, value in fields.items()},
        "node": str(node),  # a decimal string: node ids are uint256
        "role": role,
        "status": status,
        "output": "0x" + output.hex(),
        "outputHash": "0x" + message["outputHash"].hex(),
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
            envelope_case("broken wrap", b"Is this contract clause enforceable?", 3, 31337, b"yes", broken=1),
        ],
        "reportData": [
            report_data_case(31337, "cloister 0.1.0", 1_800_000_000, "operator one"),
            report_data_case(2**63 + 5, "cloister 9.9.9", 2**64 - 1, "operator two"),
        ],
        "results": [
            result_case("result one", 31337, 1, signing.ROLE_EXECUTE, 0, b"\x00" * 31 + b"\x02"),
            result_case("result two", 1, 7, signing.ROLE_VOTE, 3, b""),
            result_case("result three", 8453, 2**255 + 9, signing.ROLE_VERIFY, 255, bytes((i * 29) % 256 for i in range(300))),
            result_case("result four", 31337, 3, signing.ROLE_CHALLENGE, 4, b"model error"),
        ],
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
