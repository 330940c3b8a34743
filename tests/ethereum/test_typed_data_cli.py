"""Cross-checks of `cloister typed-data hash|sign` against eth-account.

Documents eth-account hashes must print the same domain separator, struct hash and digest; signatures
by a hex key file or by a keystore eth-keyfile wrote must equal eth-account's `sign_typed_data`; bad
input must fail with one line on stderr and a non-zero exit. The binary is `.build/debug/cloister`
(built by `make test`), or $CLOISTER_BIN."""
import json
import os
import pathlib
import subprocess
import sys

import pytest
from eth_account import Account
from eth_account.messages import _hash_eip191_message, encode_typed_data
from eth_keyfile import create_keyfile_json

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import cloister_signing as signing  # noqa: E402  (the contracts' off-chain reference for the Result type)
BINARY = pathlib.Path(os.environ.get("CLOISTER_BIN", ROOT / ".build" / "debug" / "cloister"))
VECTORS = json.loads((ROOT / "fixtures" / "ethereum" / "eip712" / "random.json").read_text())["cases"]
KEY = bytes.fromhex("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")


def cloister(*arguments: str, check: bool = True) -> subprocess.CompletedProcess:
    assert BINARY.exists(), f"{BINARY} is missing: build the CLI first (swift build)"
    return subprocess.run([str(BINARY), *arguments], capture_output=True, text=True, timeout=120, check=check)


def printed(output: str) -> dict[str, str]:
    return {line.split(":")[0].strip(): line.split(":")[1].strip() for line in output.splitlines()}


@pytest.mark.parametrize("index", [0, 7, 33, 99])
def test_hash_matches_eth_account(tmp_path, index):
    document = VECTORS[index]["document"]
    path = tmp_path / "typed.json"
    path.write_text(json.dumps(document))
    signable = encode_typed_data(full_message=document)
    lines = printed(cloister("typed-data", "hash", str(path)).stdout)
    assert lines["domain separator"] == "0x" + signable.header.hex()
    assert lines["struct hash"] == "0x" + signable.body.hex()
    assert lines["digest"] == "0x" + _hash_eip191_message(signable).hex()


def test_sign_with_key_file_and_keystore_matches_eth_account(tmp_path):
    document = VECTORS[12]["document"]
    path = tmp_path / "typed.json"
    path.write_text(json.dumps(document))
    expected = Account.sign_typed_data(KEY, full_message=document)
    key_file = tmp_path / "key.hex"
    key_file.write_text("0x" + KEY.hex() + "\n")
    by_key = printed(cloister("typed-data", "sign", str(path), "--private-key-file", str(key_file)).stdout)
    assert by_key["signature"] == "0x" + bytes(expected.signature).hex()
    assert by_key["signer"] == Account.from_key(KEY).address

    keystore = tmp_path / "keystore.json"
    keystore.write_text(json.dumps(create_keyfile_json(KEY, b"typed data", kdf="pbkdf2", iterations=1000)))
    password = tmp_path / "password.txt"
    password.write_text("typed data\n")
    by_keystore = printed(cloister("typed-data", "sign", str(path), "--keystore", str(keystore),
                                   "--password-file", str(password)).stdout)
    assert by_keystore == by_key


def result_document(node: int, role: int, status: int, output: bytes) -> dict:
    """A protocol v2 Result, as scripts/cloister_signing.py (and the contracts' tests) define it, in JSON form."""
    words = {name: signing.keccak(f"typed data {name}".encode())
             for name in ("requestId", "model", "inputHash", "outputCommitment", "attestationDigest")}
    message = signing.result_message(words["requestId"], node, role, words["model"], words["inputHash"], status, output,
                                     words["outputCommitment"], words["attestationDigest"])
    return {"types": {"EIP712Domain": signing.DOMAIN_TYPES, "Result": signing.RESULT_TYPES}, "primaryType": "Result",
            "domain": signing.result_domain("0x5FbDB2315678afecb367f032d93F642f64180aa3", 31337),
            "message": {k: "0x" + v.hex() if isinstance(v, bytes) else v for k, v in message.items()}}


@pytest.mark.parametrize(("node", "role", "status", "output"), [
    (1, signing.ROLE_EXECUTE, 0, b"\x00" * 31 + b"\x01"),
    (2**255 + 3, signing.ROLE_VOTE, 255, b""),
    (42, signing.ROLE_CHALLENGE, 3, bytes(range(256)) * 4),
])
def test_result_v2_hash_and_signature_match_eth_account(tmp_path, node, role, status, output):
    document = result_document(node, role, status, output)
    path = tmp_path / "result.json"
    path.write_text(json.dumps(document))
    signable = encode_typed_data(full_message=document)
    lines = printed(cloister("typed-data", "hash", str(path)).stdout)
    assert lines["struct hash"] == "0x" + signable.body.hex()
    assert lines["digest"] == "0x" + _hash_eip191_message(signable).hex()
    key_file = tmp_path / "key.hex"
    key_file.write_text("0x" + KEY.hex() + "\n")
    signed = printed(cloister("typed-data", "sign", str(path), "--private-key-file", str(key_file)).stdout)
    words = {k: bytes.fromhex(v[2:]) for k, v in document["message"].items() if isinstance(v, str)}
    v, r, s = signing.sign_result(KEY, document["domain"]["verifyingContract"], 31337, words["requestId"], node, role,
                                  words["model"], words["inputHash"], status, output, words["outputCommitment"],
                                  words["attestationDigest"])
    assert signed["signature"] == "0x" + (r + s + bytes([v])).hex()


@pytest.mark.parametrize("text", ["", "{", '{"types": {}}', '{"types": {"A": [{"name": "x", "type": "Nope"}]}, '
                                  '"primaryType": "A", "domain": {}, "message": {"x": 1}}'])
def test_bad_documents_fail_with_one_line(tmp_path, text):
    path = tmp_path / "bad.json"
    path.write_text(text)
    result = cloister("typed-data", "hash", str(path), check=False)
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1
    assert str(path) in result.stderr


def test_wrong_password_fails_without_printing_secrets(tmp_path):
    path = tmp_path / "typed.json"
    path.write_text(json.dumps(VECTORS[0]["document"]))
    keystore = tmp_path / "keystore.json"
    keystore.write_text(json.dumps(create_keyfile_json(KEY, b"right", kdf="pbkdf2", iterations=1000)))
    password = tmp_path / "password.txt"
    password.write_text("not-the-passphrase-7731\n")
    result = cloister("typed-data", "sign", str(path), "--keystore", str(keystore), "--password-file", str(password),
                      check=False)
    assert result.returncode != 0
    assert "wrong password" in result.stderr
    assert "not-the-passphrase-7731" not in result.stderr + result.stdout
    assert KEY.hex() not in result.stderr + result.stdout
