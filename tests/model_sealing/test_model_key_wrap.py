"""`cloister model wrap-key` and the model key wrap of docs/model-sealing.md ("Releasing the key to enclaves"),
against the independent Python implementation in model_key_wrap_reference.py: the owner's wraps open in Python
for exactly the key, model and epoch they were made for; the generator's vectors (which the Swift tests open and
reproduce) still come out of the reference; KeyWrap digests are eth-account's; errors never quote the key."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from eth_account import Account
from eth_hash.auto import keccak

sys.path.insert(0, str(Path(__file__).resolve().parent))
import model_key_wrap_reference as ref  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
BINARY = os.environ.get("CLOISTER_BIN", str(REPO / ".build/debug/cloister"))
VECTORS = REPO / "fixtures/model_sealing/key_wrap_vectors.json"
MODEL = keccak(b"a sealed model")


def enclave():
    secret = os.urandom(32)
    return secret, ref.point(ref.private_key(secret).public_key())


def wrap_key(tmp_path, key: bytes, recipient_xy: bytes, model: bytes = MODEL, epoch: int = 1, key_text: str | None = None):
    key_file = tmp_path / "model.key"
    key_file.write_text(key_text if key_text is not None else key.hex() + "\n")
    return subprocess.run([BINARY, "model", "wrap-key", "--key-file", str(key_file), "--model", "0x" + model.hex(),
                           "--epoch", str(epoch), "--recipient-key", "0x" + recipient_xy.hex()],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("epoch", [1, 2, 2**255 + 1])
def test_a_wrap_by_the_cli_opens_in_python_for_its_key_model_and_epoch_only(tmp_path, epoch):
    key = os.urandom(32)
    secret, xy = enclave()
    result = wrap_key(tmp_path, key, xy, epoch=epoch)
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert set(printed) == {"wrapped", "recipient"}
    assert printed["recipient"] == Account.from_key(secret).address  # checksummed
    assert printed["recipient"].lower() == "0x" + ref.address(xy).hex()
    wrapped = bytes.fromhex(printed["wrapped"][2:])
    assert len(wrapped) == 112 and key.hex() not in result.stdout + result.stderr
    assert ref.unwrap(wrapped, secret, MODEL, epoch) == key
    for other_secret, model, other_epoch in [(os.urandom(32), MODEL, epoch), (secret, keccak(b"other"), epoch),
                                             (secret, MODEL, epoch + 1)]:
        with pytest.raises(InvalidTag):
            ref.unwrap(wrapped, other_secret, model, other_epoch)
    for index in (0, 70, 111):  # E, ciphertext, tag
        changed = bytearray(wrapped)
        changed[index] ^= 1
        with pytest.raises((InvalidTag, ValueError)):  # a changed E may not be on the curve at all
            ref.unwrap(bytes(changed), secret, MODEL, epoch)


def test_every_wrap_has_a_fresh_ephemeral_key(tmp_path):
    key, (_, xy) = os.urandom(32), enclave()
    first, second = (json.loads(wrap_key(tmp_path, key, xy).stdout)["wrapped"] for _ in range(2))
    assert first[:130] != second[:130] and first != second


@pytest.mark.parametrize("change, message", [
    (lambda a: {**a, "recipient": "0x" + "11" * 64}, "--recipient-key"),
    (lambda a: {**a, "recipient": "0x" + "11" * 33}, "--recipient-key"),
    (lambda a: {**a, "model": "0x1234"}, "--model"),
    (lambda a: {**a, "epoch": "0"}, "--epoch"),
    (lambda a: {**a, "epoch": "one"}, "--epoch"),
    (lambda a: {**a, "key_text": "not a key"}, "model.key"),
])
def test_bad_arguments_are_refused_without_quoting_the_key(tmp_path, change, message):
    key, (_, xy) = os.urandom(32), enclave()
    arguments = change({"recipient": "0x" + xy.hex(), "model": "0x" + MODEL.hex(), "epoch": "1", "key_text": key.hex()})
    key_file = tmp_path / "model.key"
    key_file.write_text(arguments["key_text"])
    result = subprocess.run([BINARY, "model", "wrap-key", "--key-file", str(key_file), "--model", arguments["model"],
                             "--epoch", arguments["epoch"], "--recipient-key", arguments["recipient"]],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and result.stdout == ""
    assert message in result.stderr and key.hex() not in result.stderr


def test_the_vectors_come_from_the_reference():
    """What the Swift tests check against: each wrap re-made from its secrets and opened, each digest
    eth-account's and each signature the holder's."""
    vectors = json.loads(VECTORS.read_text())
    assert len(vectors["wraps"]) == 3 and len(vectors["signatures"]) == 3
    for case in vectors["wraps"]:
        model, epoch, key = bytes.fromhex(case["model"][2:]), int(case["epoch"]), bytes.fromhex(case["modelKey"][2:])
        xy = bytes.fromhex(case["recipientKey"][2:])
        wrapped = ref.wrap(key, xy, model, epoch, bytes.fromhex(case["ephemeralSecret"][2:]))
        assert "0x" + wrapped.hex() == case["wrapped"]
        assert ref.unwrap(wrapped, bytes.fromhex(case["recipientSecret"][2:]), model, epoch) == key
    for case in vectors["signatures"]:
        wrapped = bytes.fromhex(case["wrapped"][2:])
        typed = ref.key_wrap_typed_data(case["chainId"], case["vault"], bytes.fromhex(case["model"][2:]), int(case["epoch"]),
                                        case["recipient"], wrapped)
        digest = ref.key_wrap_digest(typed)
        assert "0x" + digest.hex() == case["digest"]
        assert Account._recover_hash(digest, signature=bytes.fromhex(case["signature"][2:])) == case["holder"]
        signed = ref.sign_key_wrap(typed, bytes.fromhex(case["holderSecret"][2:]))
        assert "0x" + bytes(signed.signature).hex() == case["signature"]


def test_the_key_wrap_digest_is_the_documented_struct_hash():
    """The digest spelt out by hand (docs/model-sealing.md) equals eth-account's."""
    from eth_abi import encode
    case = json.loads(VECTORS.read_text())["signatures"][0]
    domain_type = b"EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    separator = keccak(encode(["bytes32", "bytes32", "bytes32", "uint256", "address"],
                              [keccak(domain_type), keccak(b"Cloister ModelVault"), keccak(b"1"), case["chainId"], case["vault"]]))
    type_hash = keccak(b"KeyWrap(bytes32 model,uint256 epoch,address recipient,bytes32 wrappedHash)")
    struct = keccak(encode(["bytes32", "bytes32", "uint256", "address", "bytes32"],
                           [type_hash, bytes.fromhex(case["model"][2:]), int(case["epoch"]), case["recipient"],
                            keccak(bytes.fromhex(case["wrapped"][2:]))]))
    assert "0x" + keccak(b"\x19\x01" + separator + struct).hex() == case["digest"]
