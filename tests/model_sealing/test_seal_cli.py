"""`cloister model seal` (the debug build from `make test`) against docs/model-sealing.md, opened here with
Python's `cryptography` (HKDF-SHA256, AES-256-GCM) from the format alone: the chunks open to the original
bytes in order, the printed hashes are the files', the key file is the owner's only, and a changed file or
another key opens nothing."""

import hashlib
import json
import os
import stat
import subprocess
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from eth_abi import encode
from eth_hash.auto import keccak

REPO = Path(__file__).resolve().parents[2]
BINARY = os.environ.get("CLOISTER_BIN", str(REPO / ".build/debug/cloister"))


def seal(tmp_path, plaintext: bytes, chunk_size: int, *extra: str, new_key=True):
    source, sealed, key = tmp_path / "model.safetensors", tmp_path / "model.sealed", tmp_path / "model.key"
    source.write_bytes(plaintext)
    arguments = [BINARY, "model", "seal", "--input", str(source), "--output", str(sealed), "--key-file", str(key),
                 "--chunk-size", str(chunk_size), *extra]
    result = subprocess.run(arguments + (["--new-key"] if new_key else []), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout), sealed.read_bytes(), bytes.fromhex(key.read_text().strip()), key


def open_sealed(sealed: bytes, key: bytes) -> bytes:
    """docs/model-sealing.md, step by step."""
    header, body = sealed[:36], sealed[36:]
    assert header[:8] == b"CLSEALM1"
    chunk_size, length, salt = int.from_bytes(header[8:12], "big"), int.from_bytes(header[12:20], "big"), header[20:36]
    count = max(1, -(-length // chunk_size))
    assert len(body) == length + 16 * count
    chunk_key = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"cloister/v1/model-weights").derive(key)
    aead, plaintext, offset = AESGCM(chunk_key), b"", 0
    for index in range(count):
        size = chunk_size if index < count - 1 else length - index * chunk_size
        nonce = b"\x00" * 4 + index.to_bytes(8, "big")
        plaintext += aead.decrypt(nonce, body[offset:offset + size + 16], header + bytes([index == count - 1]))
        offset += size + 16
    return plaintext


@pytest.mark.parametrize("length", [0, 1_000, 4_096, 70_001])
def test_a_sealed_model_opens_with_an_independent_implementation(tmp_path, length):
    plaintext = os.urandom(length)
    printed, sealed, key, key_file = seal(tmp_path, plaintext, 4_096)
    assert open_sealed(sealed, key) == plaintext
    assert printed["plaintext_sha256"] == "0x" + hashlib.sha256(plaintext).hexdigest()
    assert printed["sealed_sha256"] == "0x" + hashlib.sha256(sealed).hexdigest()
    assert printed["plaintext_length"] == length and printed["chunk_size"] == 4_096
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key.hex() not in json.dumps(printed)


OWNER = "0x" + "5c" * 20


def test_the_model_id_is_the_documented_commitment(tmp_path):
    printed, _, _, _ = seal(tmp_path, b"weights" * 100, 1_024, "--owner", OWNER, "--engine", "cloister-minilm-f32/2",
                            "--task", "embed")
    expected = keccak(encode(["string", "address", "bytes32", "bytes32", "string", "string"],
                             ["cloister-sealed-model/1", OWNER, bytes.fromhex(printed["plaintext_sha256"][2:]),
                              bytes.fromhex(printed["sealed_sha256"][2:]), "cloister-minilm-f32/2", "embed"]))
    assert printed["model_id"] == "0x" + expected.hex()


@pytest.mark.parametrize("options", [["--engine", "e", "--task", "embed"], ["--owner", OWNER, "--task", "embed"],
                                     ["--owner", "0x1234", "--engine", "e", "--task", "embed"]])
def test_the_model_id_needs_an_owner_engine_and_task(tmp_path, options):
    (tmp_path / "m").write_bytes(b"w" * 100)
    refused = subprocess.run([BINARY, "model", "seal", "--input", str(tmp_path / "m"), "--output", str(tmp_path / "m.sealed"),
                              "--key-file", str(tmp_path / "k"), "--new-key", *options], capture_output=True, text=True, timeout=120)
    assert refused.returncode != 0 and "--owner" in refused.stderr
    assert not (tmp_path / "m.sealed").exists() and not (tmp_path / "k").exists()


def test_a_changed_chunk_or_another_key_opens_nothing(tmp_path):
    _, sealed, key, _ = seal(tmp_path, os.urandom(10_000), 1_024)
    changed = bytearray(sealed)
    changed[36 + 5 * (1_024 + 16) + 3] ^= 1
    with pytest.raises(InvalidTag):
        open_sealed(bytes(changed), key)
    with pytest.raises(InvalidTag):
        open_sealed(sealed, bytes(32))


def test_an_existing_key_file_is_used_and_never_overwritten(tmp_path):
    key_file = tmp_path / "model.key"
    key = os.urandom(32)
    key_file.write_text(key.hex() + "\n")
    _, sealed, used, _ = seal(tmp_path, b"x" * 5_000, 1_024, new_key=False)
    assert used == key and open_sealed(sealed, key) == b"x" * 5_000
    (tmp_path / "model.sealed").unlink()
    refused = subprocess.run([BINARY, "model", "seal", "--input", str(tmp_path / "model.safetensors"), "--output",
                              str(tmp_path / "again.sealed"), "--key-file", str(key_file), "--new-key"],
                             capture_output=True, text=True, timeout=120)
    assert refused.returncode != 0 and "cannot create" in refused.stderr
    assert key_file.read_text().strip() == key.hex() and not (tmp_path / "again.sealed").exists()
