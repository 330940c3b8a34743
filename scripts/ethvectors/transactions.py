"""fixtures/ethereum/transactions.json: random signed legacy (EIP-155 and pre-EIP-155) and type-2
transactions, signed by eth-account, with the signing hash computed separately with pyrlp."""
import json
import random

import rlp
from eth_account import Account
from eth_utils import keccak, to_checksum_address

SEED = 155_1559
COUNT = 600

# Published in EIP-155's text: the signing data, signing hash and signed transaction for this key.
EIP155_EXAMPLE_KEY = "0x" + "46" * 32
EIP155_EXAMPLE_TX = dict(nonce=9, gasPrice=20 * 10**9, gas=21000, to="0x" + "35" * 20, value=10**18, data=b"", chainId=1)
EIP155_EXAMPLE_RAW = (
    "f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080"
    "25a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800"
    "ccf555c9f3dc64214b297fb1966a3b6d83"
)


def big(rng: random.Random, bits: int) -> int:
    """Integers spread over every width up to `bits`, with the extremes well represented."""
    choice = rng.random()
    if choice < 0.1:
        return 0
    if choice < 0.2:
        return 2**bits - 1
    return rng.getrandbits(rng.randint(1, bits))


def data(rng: random.Random) -> bytes:
    length = rng.choice([0, 0, 1, 1, 4, 36, 55, 56, 57, 100, rng.randint(0, 300), rng.randint(1000, 3000)])
    if length == 1:
        return bytes([rng.choice([0x00, 0x7F, 0x80, 0xFF])])
    return rng.randbytes(length)


def recipient(rng: random.Random) -> str | None:
    return None if rng.random() < 0.2 else to_checksum_address(rng.randbytes(20))


def access_list(rng: random.Random) -> list[dict]:
    return [
        {"address": to_checksum_address(rng.randbytes(20)),
         "storageKeys": ["0x" + rng.randbytes(32).hex() for _ in range(rng.choice([0, 1, 2, 5]))]}
        for _ in range(rng.choice([0, 0, 1, 2, 3]))
    ]


def chain_id(rng: random.Random) -> int:
    return rng.choice([1, 5, 10, 137, 8453, 31337, 11155111, 2**32 + 7, 2**63 - 1, 2**64 - 1, rng.getrandbits(48) + 1])


def rlp_int(value: int) -> bytes:
    return b"" if value == 0 else value.to_bytes((value.bit_length() + 7) // 8, "big")


def to_bytes(address: str | None) -> bytes:
    return b"" if address is None else bytes.fromhex(address[2:])


def legacy_signing_hash(tx: dict) -> bytes:
    fields = [tx["nonce"], tx["gasPrice"], tx["gas"], to_bytes(tx.get("to")), tx["value"], tx["data"]]
    if "chainId" in tx:
        fields += [tx["chainId"], 0, 0]
    return keccak(rlp.encode(fields))


def eip1559_signing_hash(tx: dict) -> bytes:
    entries = [[bytes.fromhex(e["address"][2:]), [bytes.fromhex(k[2:]) for k in e["storageKeys"]]] for e in tx["accessList"]]
    fields = [tx["chainId"], tx["nonce"], tx["maxPriorityFeePerGas"], tx["maxFeePerGas"], tx["gas"],
              to_bytes(tx.get("to")), tx["value"], tx["data"], entries]
    return keccak(b"\x02" + rlp.encode(fields))


def random_legacy(rng: random.Random) -> dict:
    tx = dict(nonce=big(rng, 64), gasPrice=big(rng, 256), gas=big(rng, 64), value=big(rng, 256), data=data(rng))
    to = recipient(rng)
    if to is not None:
        tx["to"] = to
    if rng.random() > 0.1:
        tx["chainId"] = chain_id(rng)
    return tx


def random_eip1559(rng: random.Random) -> dict:
    tx = dict(type=2, chainId=chain_id(rng), nonce=big(rng, 64), maxPriorityFeePerGas=big(rng, 256),
              maxFeePerGas=big(rng, 256), gas=big(rng, 64), value=big(rng, 256), data=data(rng),
              accessList=access_list(rng))
    to = recipient(rng)
    if to is not None:
        tx["to"] = to
    return tx


def case(tx: dict, key: bytes) -> dict:
    signed = Account.sign_transaction(tx, key)
    is_legacy = "type" not in tx
    fields = {name: str(tx[name]) for name in ("nonce", "value") }
    fields.update(gasLimit=str(tx["gas"]), to=tx.get("to"), data="0x" + tx["data"].hex())
    if is_legacy:
        fields.update(gasPrice=str(tx["gasPrice"]), chainId=str(tx["chainId"]) if "chainId" in tx else None)
        signing_hash = legacy_signing_hash(tx)
    else:
        fields.update(chainId=str(tx["chainId"]), maxPriorityFeePerGas=str(tx["maxPriorityFeePerGas"]),
                      maxFeePerGas=str(tx["maxFeePerGas"]), accessList=tx["accessList"])
        signing_hash = eip1559_signing_hash(tx)
    return {
        "type": 0 if is_legacy else 2,
        "privateKey": "0x" + key.hex(),
        "fields": fields,
        "v": str(signed.v),
        "r": str(signed.r),
        "s": str(signed.s),
        "signingHash": "0x" + signing_hash.hex(),
        "raw": "0x" + signed.raw_transaction.hex(),
        "hash": "0x" + signed.hash.hex(),
        "sender": Account.from_key(key).address,
    }


def write(out) -> None:
    example = Account.sign_transaction(EIP155_EXAMPLE_TX, EIP155_EXAMPLE_KEY)
    assert example.raw_transaction.hex() == EIP155_EXAMPLE_RAW, "eth-account disagrees with EIP-155's example"

    rng = random.Random(SEED)
    cases = []
    for index in range(COUNT):
        key = rng.randbytes(32)
        tx = random_legacy(rng) if index % 2 == 0 else random_eip1559(rng)
        cases.append(case(tx, key))
    path = out / "transactions.json"
    note = "eth-account 0.14.0 signatures (RFC 6979); signingHash from pyrlp + keccak; integers are decimal strings"
    path.write_text(json.dumps({"source": note, "cases": cases}, indent=1) + "\n")
    print(f"wrote {len(cases)} transactions to {path}")
