"""Cross-checks in both directions between the Python reference and the Swift `Enclave` module,
through the `cloister envelope` commands: Swift-sealed envelopes and outputs opened in Python, and
Python-sealed ones opened by the Swift enclave keyring.

The binary is $CLOISTER_BIN, else .build/debug/cloister (which `make test` builds first); when
neither exists it is built here with `swift build --product cloister`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from coincurve import PrivateKey

sys.path.insert(0, str(Path(__file__).resolve().parent))
import envelope_reference as ref  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
CONTRACT = bytes.fromhex("5fbdb2315678afecb367f032d93f642f64180aa3")


@pytest.fixture(scope="module")
def cloister() -> Path:
    binary = Path(os.environ.get("CLOISTER_BIN", REPO / ".build/debug/cloister"))
    if not binary.exists():
        subprocess.run(["swift", "build", "--product", "cloister"], cwd=REPO, check=True, timeout=3600)
    assert binary.exists(), f"no cloister binary at {binary}"
    return binary


def run(binary: Path, *args: str, stdin: bytes = b"", ok: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([str(binary), "envelope", *args], input=stdin, capture_output=True, timeout=60)
    if ok:
        assert result.returncode == 0, result.stderr.decode()
    return result


def context_args(ctx: ref.Context) -> list[str]:
    return ["--chain-id", str(ctx.chain_id), "--contract", "0x" + ctx.contract.hex(),
            "--requester", "0x" + ctx.requester.hex(), "--output-key", "0x" + ctx.output_key.hex()]


def new_context() -> tuple[ref.Context, PrivateKey]:
    requester = PrivateKey()
    output_key = requester.public_key.format(compressed=True)
    return ref.Context(31337, CONTRACT, ref.address_of(output_key), output_key), requester


def keyring_args(tmp_path: Path) -> list[str]:
    return ["--keyring", str(tmp_path / "keyring.sealed"), "--sealing-secret", str(tmp_path / "sealing.secret")]


def test_python_opens_swift_envelopes(cloister):
    ctx, _ = new_context()
    recipients = [PrivateKey() for _ in range(3)]
    payload = "Is this email phishing? «Your parcel is waiting»".encode()
    args = context_args(ctx) + [a for r in recipients for a in ("--recipient", r.public_key.format().hex())]
    sealed = json.loads(run(cloister, "seal", *args, "--wrap-secrets", stdin=payload).stdout)
    envelope = bytes.fromhex(sealed["envelope"][2:])
    assert len(envelope) == 151 + 160 * 3 + len(payload)
    assert envelope[4] == 2
    for recipient in recipients:
        opened, salt = ref.open_envelope(envelope, recipient.secret, ctx)
        assert opened == payload
        assert "0x" + salt.hex() == sealed["commitmentSalt"]
    # Each revealed e_i proves its wrap good, the way proveWrap recomputes it (ecrecover for address(e·P)).
    secrets = [bytes.fromhex(e[2:]) for e in sealed["wrapSecrets"].split(",")]
    assert len(secrets) == 3 and len(set(secrets)) == 3
    for index, (secret, recipient) in enumerate(zip(secrets, recipients)):
        proof = ref.wrap_proof(envelope, index, secret)
        assert proof["opens"] and proof["recipientKey"] == recipient.public_key.format(compressed=False)[1:]


def test_seal_takes_every_public_key_format_the_chain_and_tools_print(cloister):
    """33 bytes compressed, 65 uncompressed, and the registry's 64 bytes (x‖y, `NodeAttested.publicKey`)."""
    ctx, _ = new_context()
    recipients = [PrivateKey() for _ in range(3)]
    formats = [recipients[0].public_key.format(compressed=True), recipients[1].public_key.format(compressed=False),
               recipients[2].public_key.format(compressed=False)[1:]]
    args = context_args(ctx) + [a for key in formats for a in ("--recipient", "0x" + key.hex())]
    envelope = bytes.fromhex(json.loads(run(cloister, "seal", *args, stdin=b"hello").stdout)["envelope"][2:])
    for recipient in recipients:
        assert ref.open_envelope(envelope, recipient.secret, ctx)[0] == b"hello"
    refused = run(cloister, "seal", *context_args(ctx), "--recipient", "0x" + "ab" * 64, stdin=b"x", ok=False)
    assert refused.returncode != 0 and b"is not a secp256k1 public key" in refused.stderr, refused.stderr


def test_swift_keyring_opens_python_envelopes_and_commits_like_python(cloister, tmp_path):
    key = json.loads(run(cloister, "key", *keyring_args(tmp_path)).stdout)
    ctx, _ = new_context()
    others = [PrivateKey().public_key.format() for _ in range(2)]
    payload = b"\x00\x01binary\xff" * 50
    data_key = os.urandom(32)
    envelope = ref.seal(payload, [others[0], bytes.fromhex(key["publicKey"][2:]), others[1]], ctx, data_key=data_key)
    output = b"label: spam"
    result = json.loads(run(cloister, "open", *context_args(ctx), *keyring_args(tmp_path), "--output", "0x" + output.hex(),
                            stdin=("0x" + envelope.hex()).encode()).stdout)
    assert result["payload"] == "0x" + payload.hex()
    assert result["commitment"] == "0x" + ref.commitment(ref.commitment_salt(data_key), output).hex()
    assert ref.address_of(bytes.fromhex(key["publicKey"][2:])).hex() == key["signer"][2:].lower()


def test_rotated_keyring_still_opens_in_flight_envelopes(cloister, tmp_path):
    old = json.loads(run(cloister, "key", *keyring_args(tmp_path)).stdout)
    ctx, _ = new_context()
    in_flight = ref.seal(b"sent before rotation", [bytes.fromhex(old["publicKey"][2:])], ctx)
    new = json.loads(run(cloister, "key", "--rotate", *keyring_args(tmp_path)).stdout)
    assert new["signer"] != old["signer"] and new["retiring"] == old["signer"]
    result = json.loads(run(cloister, "open", *context_args(ctx), *keyring_args(tmp_path),
                            stdin=("0x" + in_flight.hex()).encode()).stdout)
    assert bytes.fromhex(result["payload"][2:]) == b"sent before rotation"


def test_swift_rejects_tampered_and_replayed_python_envelopes_without_leaking(cloister, tmp_path):
    key = json.loads(run(cloister, "key", *keyring_args(tmp_path)).stdout)
    ctx, _ = new_context()
    secret_text = b"the merger closes on friday"
    envelope = bytearray(ref.seal(secret_text, [bytes.fromhex(key["publicKey"][2:])], ctx))
    envelope[-1] ^= 0x01
    tampered = run(cloister, "open", *context_args(ctx), *keyring_args(tmp_path), stdin=("0x" + envelope.hex()).encode(), ok=False)
    assert tampered.returncode != 0
    assert b"payload did not authenticate" in tampered.stderr
    envelope[-1] ^= 0x01
    replay = ref.Context(1, ctx.contract, ctx.requester, ctx.output_key)
    replayed = run(cloister, "open", *context_args(replay), *keyring_args(tmp_path), stdin=("0x" + envelope.hex()).encode(), ok=False)
    assert replayed.returncode != 0 and b"bound to another chainID" in replayed.stderr
    for output in (tampered, replayed):
        assert secret_text not in output.stderr + output.stdout
        assert secret_text.hex().encode() not in output.stderr + output.stdout


def test_swift_keyring_refuses_a_broken_wrap_that_others_open(cloister, tmp_path):
    key = json.loads(run(cloister, "key", *keyring_args(tmp_path)).stdout)
    ctx, _ = new_context()
    other = PrivateKey()
    own = bytes.fromhex(key["publicKey"][2:])
    envelope = ref.seal(b"griefing input", [other.public_key.format(), own], ctx, broken=1)
    assert ref.open_envelope(envelope, other.secret, ctx)[0] == b"griefing input"
    rejected = run(cloister, "open", *context_args(ctx), *keyring_args(tmp_path), stdin=("0x" + envelope.hex()).encode(), ok=False)
    assert rejected.returncode != 0
    assert b"does not match the key commitment" in rejected.stderr
    assert b"griefing input" not in rejected.stderr + rejected.stdout


def test_outputs_cross_both_ways(cloister, tmp_path):
    requester = PrivateKey()
    ctx = ref.OutputContext(31337, CONTRACT, ref.keccak256(b"request 42"))
    args = ["--chain-id", "31337", "--contract", "0x" + CONTRACT.hex(), "--request-id", "0x" + ctx.request_id.hex()]
    swift_sealed = json.loads(run(cloister, "seal-output", *args, "--to", requester.public_key.format().hex(),
                                  stdin=b"positive").stdout)
    assert ref.open_output(bytes.fromhex(swift_sealed["encryptedOutput"][2:]), requester.secret, ctx) == b"positive"

    key_file = tmp_path / "requester.key"
    key_file.write_text(requester.secret.hex())
    key_file.chmod(0o600)
    python_sealed = ref.seal_output(b"negative", requester.public_key.format(), ctx)
    opened = json.loads(run(cloister, "open-output", *args, "--key-file", str(key_file),
                            stdin=("0x" + python_sealed.hex()).encode()).stdout)
    assert opened["output"] == "0x" + b"negative".hex()
