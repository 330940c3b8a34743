"""fixtures/ethereum/keystores/: Web3 Secret Storage (v3) files with their passwords and addresses.

Most files come from eth-keyfile (scrypt with small n so tests are fast, and pbkdf2). eth-keyfile fixes
scrypt's r=8 and p=1, so a few files with other r and p are assembled here from pycryptodome's scrypt and
AES; every file is checked to decrypt with eth-keyfile before it is written. The two published test
vectors of the Web3 Secret Storage definition are included as they were published."""
import json
import random
import uuid

from Crypto.Cipher import AES
from Crypto.Protocol.KDF import scrypt
from Crypto.Util import Counter
from eth_account import Account
from eth_keyfile import create_keyfile_json, decode_keyfile_json
from eth_utils import keccak

SEED = 0x4B53

# The published test vectors (password "testpassword") of the Web3 Secret Storage definition.
PUBLISHED_KEY = "7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d"
PUBLISHED = {
    "published-pbkdf2.json": {
        "crypto": {
            "cipher": "aes-128-ctr",
            "cipherparams": {"iv": "6087dab2f9fdbbfaddc31a909735c1e6"},
            "ciphertext": "5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46",
            "kdf": "pbkdf2",
            "kdfparams": {"c": 262144, "dklen": 32, "prf": "hmac-sha256",
                          "salt": "ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd"},
            "mac": "517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2",
        },
        "id": "3198bc9c-6672-5ab3-d995-4942343ae5b6",
        "version": 3,
    },
    "published-scrypt.json": {
        "crypto": {
            "cipher": "aes-128-ctr",
            "cipherparams": {"iv": "83dbcc02d8ccb40e466191a123791e0e"},
            "ciphertext": "d172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c",
            "kdf": "scrypt",
            "kdfparams": {"dklen": 32, "n": 262144, "p": 8, "r": 1,
                          "salt": "ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19"},
            "mac": "2103ac29920d71da29f15d75b4a16dbe95cfd7ff8faea1056c33131d846e3097",
        },
        "id": "3198bc9c-6672-5ab3-d995-4942343ae5b6",
        "version": 3,
    },
}

PASSWORDS = ["", "correct horse battery staple", "pässwörd ✓ 鍵", "x" * 200, "line\nbreak"]


def scrypt_file(key: bytes, password: bytes, n: int, r: int, p: int, rng: random.Random) -> dict:
    salt, iv = rng.randbytes(32), rng.randbytes(16)
    derived = scrypt(password, salt, key_len=32, N=n, r=r, p=p)
    counter = Counter.new(128, initial_value=int.from_bytes(iv, "big"))
    ciphertext = AES.new(derived[:16], AES.MODE_CTR, counter=counter).encrypt(key)
    return {
        "address": Account.from_key(key).address[2:].lower(),
        "crypto": {
            "cipher": "aes-128-ctr", "cipherparams": {"iv": iv.hex()}, "ciphertext": ciphertext.hex(),
            "kdf": "scrypt", "kdfparams": {"dklen": 32, "n": n, "r": r, "p": p, "salt": salt.hex()},
            "mac": keccak(derived[16:32] + ciphertext).hex(),
        },
        "id": str(uuid.UUID(bytes=rng.randbytes(16), version=4)),
        "version": 3,
    }


def capitalised(document: dict) -> dict:
    """Old geth files spell the key "Crypto"; geth and eth-keyfile match keys case-insensitively."""
    copy = dict(document)
    copy["Crypto"] = copy.pop("crypto")
    return copy


def write(out) -> None:
    folder = out / "keystores"
    folder.mkdir(exist_ok=True)
    for stale in folder.glob("*.json"):
        stale.unlink()
    rng = random.Random(SEED)
    entries = []

    def add(name: str, document: dict, password: str, key: bytes) -> None:
        assert decode_keyfile_json(document, password.encode()) == key, name
        (folder / name).write_text(json.dumps(document, indent=1) + "\n")
        entries.append({"file": name, "password": password, "privateKey": "0x" + key.hex(),
                        "address": Account.from_key(key).address})

    for name, document in PUBLISHED.items():
        add(name, document, "testpassword", bytes.fromhex(PUBLISHED_KEY))
    for index in range(8):
        key, password = rng.randbytes(32), PASSWORDS[index % len(PASSWORDS)]
        n = [16, 256, 1024, 4096][index % 4]
        add(f"eth-keyfile-scrypt-{index}.json", create_keyfile_json(key, password.encode(), kdf="scrypt", iterations=n),
            password, key)
    for index in range(6):
        key, password = rng.randbytes(32), PASSWORDS[index % len(PASSWORDS)]
        c = [1, 10, 1000, 4096, 10000, 262144][index]
        add(f"eth-keyfile-pbkdf2-{index}.json", create_keyfile_json(key, password.encode(), kdf="pbkdf2", iterations=c),
            password, key)
    for index, (n, r, p) in enumerate([(2, 1, 1), (64, 1, 16), (1024, 4, 2), (512, 16, 1)]):
        key = rng.randbytes(32)
        add(f"scrypt-r{r}-p{p}.json", scrypt_file(key, b"params", n, r, p, rng), "params", key)
    key = rng.randbytes(32)
    add("capitalised-crypto-key.json",
        capitalised(create_keyfile_json(key, b"caps", kdf="scrypt", iterations=256)), "caps", key)
    key = rng.randbytes(32)
    no_address = create_keyfile_json(key, b"anonymous", kdf="pbkdf2", iterations=100)
    del no_address["address"]
    add("no-address.json", no_address, "anonymous", key)

    index_path = folder / "index.json"
    index_path.write_text(json.dumps({"source": "eth-keyfile 0.10.0, pycryptodome 3.24.1", "files": entries},
                                     indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {len(entries)} keystore files to {folder}")
