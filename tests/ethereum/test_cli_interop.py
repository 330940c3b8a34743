"""Cross-checks of `cloister key …` and `cloister tx decode` against eth-keyfile and eth-account.

Keystores the CLI writes must decrypt with eth-keyfile to the same key; keystores eth-keyfile writes
must open in the CLI; raw transactions eth-account signs must decode to eth-account's fields and
sender. The binary is `.build/debug/cloister` (built by `make test`), or $CLOISTER_BIN."""
import json
import os
import pathlib
import subprocess

import pytest
from eth_account import Account
from eth_keyfile import create_keyfile_json, decode_keyfile_json

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = pathlib.Path(os.environ.get("CLOISTER_BIN", ROOT / ".build" / "debug" / "cloister"))
PASSWORD = "interop pässword"


def cloister(*arguments: str, check: bool = True) -> subprocess.CompletedProcess:
    assert BINARY.exists(), f"{BINARY} is missing: build the CLI first (swift build)"
    return subprocess.run([str(BINARY), *arguments], capture_output=True, text=True, timeout=120, check=check)


@pytest.fixture
def password_file(tmp_path: pathlib.Path) -> pathlib.Path:
    path = tmp_path / "password.txt"
    path.write_text(PASSWORD + "\n")
    return path


def test_key_new_is_readable_by_eth_keyfile(tmp_path, password_file):
    keystore = tmp_path / "new.json"
    address = cloister("key", "new", "--keystore", str(keystore), "--password-file", str(password_file),
                       "--light-kdf").stdout.strip()
    document = json.loads(keystore.read_text())
    key = decode_keyfile_json(document, PASSWORD.encode())
    assert Account.from_key(key).address == address
    assert document["crypto"]["kdfparams"]["n"] == 4096
    assert oct(keystore.stat().st_mode & 0o777) == "0o600"
    assert key.hex() not in keystore.read_text()


def test_key_import_round_trips_through_eth_keyfile(tmp_path, password_file):
    account = Account.create()
    key_file = tmp_path / "key.hex"
    key_file.write_text(account.key.hex() + "\n")
    keystore = tmp_path / "imported.json"
    output = cloister("key", "import", "--private-key-file", str(key_file), "--keystore", str(keystore),
                      "--password-file", str(password_file), "--light-kdf")
    assert output.stdout.strip() == account.address
    assert account.key.hex() not in output.stdout + output.stderr
    assert decode_keyfile_json(json.loads(keystore.read_text()), PASSWORD.encode()) == account.key
    # The standard cost (scrypt n = 2^18, as geth writes) also interoperates.
    standard = tmp_path / "standard.json"
    cloister("key", "import", "--private-key-file", str(key_file), "--keystore", str(standard), "--password-file", str(password_file))
    assert json.loads(standard.read_text())["crypto"]["kdfparams"]["n"] == 2**18
    assert decode_keyfile_json(json.loads(standard.read_text()), PASSWORD.encode()) == account.key


@pytest.mark.parametrize("kdf,work", [("scrypt", 1024), ("pbkdf2", 5000)])
def test_key_address_opens_eth_keyfile_files(tmp_path, password_file, kdf, work):
    account = Account.create()
    keystore = tmp_path / f"{kdf}.json"
    keystore.write_text(json.dumps(create_keyfile_json(account.key, PASSWORD.encode(), kdf=kdf, iterations=work)))
    output = cloister("key", "address", "--keystore", str(keystore), "--password-file", str(password_file))
    assert output.stdout.strip() == account.address


def test_wrong_password_and_existing_file_are_one_line_errors(tmp_path, password_file):
    keystore = tmp_path / "k.json"
    cloister("key", "new", "--keystore", str(keystore), "--password-file", str(password_file), "--light-kdf")
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not it\n")
    failed = cloister("key", "address", "--keystore", str(keystore), "--password-file", str(wrong), check=False)
    assert failed.returncode != 0 and failed.stdout == ""
    assert "wrong password" in failed.stderr and len(failed.stderr.strip().splitlines()) == 1
    again = cloister("key", "new", "--keystore", str(keystore), "--password-file", str(password_file), "--light-kdf", check=False)
    assert again.returncode != 0 and len(again.stderr.strip().splitlines()) == 1


def test_tx_decode_matches_eth_account():
    vectors = json.loads((ROOT / "fixtures" / "ethereum" / "transactions.json").read_text())["cases"]
    for vector in vectors[:40]:
        decoded = json.loads(cloister("tx", "decode", vector["raw"], "--json").stdout)
        assert decoded["hash"] == vector["hash"]
        assert decoded["from"] == vector["sender"]
        assert int(decoded["nonce"], 16) == int(vector["fields"]["nonce"])
        assert int(decoded["value"], 16) == int(vector["fields"]["value"])
        assert decoded["input"] == vector["fields"]["data"]
        assert decoded["to"] == vector["fields"]["to"]
        assert int(decoded["r"], 16) == int(vector["r"]) and int(decoded["v"], 16) == int(vector["v"])
        if vector["type"] == 2:
            assert decoded["accessList"] == vector["fields"]["accessList"]
            assert int(decoded["maxFeePerGas"], 16) == int(vector["fields"]["maxFeePerGas"])
        recovered = Account.recover_transaction(vector["raw"])
        assert recovered == decoded["from"]


def test_tx_decode_rejects_garbage_in_one_line():
    for bad in ["0x", "0xzz", "0x02c0", "0xf86c" + "00" * 10]:
        failed = cloister("tx", "decode", bad, check=False)
        assert failed.returncode != 0 and failed.stdout == ""
        assert len(failed.stderr.strip().splitlines()) == 1, failed.stderr
