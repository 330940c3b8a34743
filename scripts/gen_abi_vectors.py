"""Writes ABI, EIP-712 and EIP-191 test vectors from independent implementations (eth-abi, eth-account).

fixtures/ethereum/abi.json              random nested types: values, standard and packed encodings, selectors
fixtures/ethereum/abi_mutations.json    those encodings damaged, with eth-abi's verdict (rejected, or re-encoded)
fixtures/ethereum/eip712/random.json    random typed-data documents: domain separator, struct hash, digest, signature
fixtures/ethereum/eip712/mail.json      the "Mail" example from the text of EIP-712
fixtures/ethereum/eip191.json           personal messages: digest and signature

Values in JSON: uint/int as decimal strings, address as EIP-55 text, bytes/bytesN as 0x-hex,
bool and string as themselves, arrays and tuples as lists. Output is deterministic (seeded).
"""
import json
import pathlib
import random

import eth_abi
import eth_abi.packed
from eth_account import Account
from eth_account.messages import encode_defunct, encode_typed_data, _hash_eip191_message
from eth_utils import function_signature_to_4byte_selector, keccak, to_checksum_address

ROOT = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "ethereum"
SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
rng = random.Random(712)

# ---------------------------------------------------------------- random types and values


def random_elementary() -> str:
    kind = rng.choice(["uint", "int", "address", "bool", "bytesN", "bytes", "string"])
    if kind in ("uint", "int"):
        return f"{kind}{rng.choice([8, 16, 24, 32, 64, 128, 160, 248, 256, rng.randrange(8, 257, 8)])}"
    if kind == "bytesN":
        return f"bytes{rng.choice([1, 4, 20, 31, 32, rng.randint(1, 32)])}"
    return kind


def random_type(depth: int) -> str:
    roll = rng.random()
    if depth >= 3 or roll < 0.45:
        return random_elementary()
    if roll < 0.65:
        return random_type(depth + 1) + "[]"
    if roll < 0.8:
        return random_type(depth + 1) + f"[{rng.randint(1, 3)}]"
    return "(" + ",".join(random_type(depth + 1) for _ in range(rng.randint(1, 4))) + ")"


def split_components(tuple_type: str) -> list[str]:
    """The component types of '(T1,T2,...)'."""
    parts, level, current = [], 0, ""
    for char in tuple_type[1:-1]:
        if char == "," and level == 0:
            parts.append(current)
            current = ""
            continue
        level += char == "("
        level -= char == ")"
        current += char
    return parts + [current]


def random_int(bits: int, signed: bool) -> int:
    low, high = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    return rng.choice([low, high, 0, 1, rng.randint(low, high), rng.randint(low, high) >> rng.randint(0, bits)])


def random_text() -> str:
    alphabet = "abcXYZ 019_-\n\"\\€ßж中文🙂\u0000é"
    return "".join(rng.choice(alphabet) for _ in range(rng.choice([0, 1, 5, 31, 32, 33, rng.randint(0, 80)])))


def random_value(type_: str):
    """A Python value eth-abi accepts for type_, and its JSON form."""
    if type_.endswith("]"):
        inner, count = type_[: type_.rindex("[")], type_[type_.rindex("[") + 1 : -1]
        size = int(count) if count else rng.choice([0, 1, 2, 3])
        pairs = [random_value(inner) for _ in range(size)]
        return [p[0] for p in pairs], [p[1] for p in pairs]
    if type_.startswith("("):
        pairs = [random_value(component) for component in split_components(type_)]
        return tuple(p[0] for p in pairs), [p[1] for p in pairs]
    if type_.startswith("uint") or type_.startswith("int"):
        signed = type_.startswith("int")
        value = random_int(int(type_[4 if not signed else 3 :]), signed)
        return value, str(value)
    if type_ == "address":
        address = to_checksum_address(rng.randbytes(20))
        return address, address
    if type_ == "bool":
        flag = rng.random() < 0.5
        return flag, flag
    if type_ == "bytes":
        data = rng.randbytes(rng.choice([0, 1, 31, 32, 33, 64, rng.randint(0, 100)]))
        return data, "0x" + data.hex()
    if type_.startswith("bytes"):
        data = rng.randbytes(int(type_[5:]))
        return data, "0x" + data.hex()
    text = random_text()
    return text, text


PACKABLE_ELEMENTARY = ("uint", "int", "address", "bool", "bytes", "string")


def packable(type_: str) -> bool:
    """Elementary types only: eth-abi packs array elements without Solidity's 32-byte padding."""
    return "(" not in type_ and not type_.endswith("]") and type_.startswith(PACKABLE_ELEMENTARY)


def abi_cases(count: int) -> list[dict]:
    cases = []
    for index in range(count):
        types = [random_type(0) for _ in range(rng.randint(0 if index == 0 else 1, 4))]
        pairs = [random_value(type_) for type_ in types]
        values = [p[0] for p in pairs]
        case = {
            "types": types,
            "values": [p[1] for p in pairs],
            "encoding": "0x" + eth_abi.encode(types, values).hex(),
            "signature": f"f{index}({','.join(types)})",
        }
        case["selector"] = "0x" + function_signature_to_4byte_selector(case["signature"]).hex()
        assert eth_abi.decode(types, eth_abi.encode(types, values)) is not None
        if all(packable(type_) for type_ in types):
            case["packed"] = "0x" + eth_abi.packed.encode_packed(types, values).hex()
        cases.append(case)
    return cases


def mutated_cases(cases: list[dict], count: int) -> list[dict]:
    """Encodings with one word or byte changed, or cut short, and eth-abi's verdict on each: rejected, or
    accepted with the canonical re-encoding of what it decoded. A separate generator keeps abi.json stable."""
    mutation_rng = random.Random(7121)
    boundary = [0, 1, 31, 32, 33, 64, 2**64 - 1, 2**255, 2**256 - 1]
    results = []
    candidates = [case for case in cases if case["types"] and len(case["encoding"]) > 2]
    for _ in range(count):
        case = mutation_rng.choice(candidates)
        data = bytearray(bytes.fromhex(case["encoding"][2:]))
        roll = mutation_rng.random()
        if roll < 0.4:
            word = mutation_rng.randrange(len(data) // 32) * 32
            data[word : word + 32] = mutation_rng.choice(boundary + [len(data), len(data) - 32]).to_bytes(32, "big")
        elif roll < 0.8:
            data[mutation_rng.randrange(len(data))] = mutation_rng.choice([0x01, 0x80, 0xFF, mutation_rng.randrange(256)])
        else:
            del data[mutation_rng.randrange(len(data)) :]
        result = {"types": case["types"], "encoding": "0x" + data.hex()}
        try:
            decoded = eth_abi.decode(case["types"], bytes(data))
            result["reencoding"] = "0x" + eth_abi.encode(case["types"], decoded).hex()
        except Exception as error:  # eth-abi's decoding errors have no common base class
            result["rejectedBy"] = type(error).__name__
        results.append(result)
    return results


# ---------------------------------------------------------------- EIP-712


DOMAIN_FIELDS = [("name", "string"), ("version", "string"), ("chainId", "uint256"),
                 ("verifyingContract", "address"), ("salt", "bytes32")]


def random_key() -> bytes:
    return rng.randrange(1, SECP256K1_N).to_bytes(32, "big")


def random_struct_types() -> tuple[str, dict]:
    """A few struct types where each may reference later ones, all reachable from the first."""
    names = rng.sample(["Mail", "Person", "Order", "Asset", "Zebra", "Item", "Ledger", "Bid"], rng.randint(1, 4))
    types = {}
    for position, name in enumerate(names):
        fields = []
        later = names[position + 1 :]
        # The first reference keeps every later type reachable from the primary type.
        if position + 1 < len(names):
            fields.append(names[position + 1] + rng.choice(["", "", "[]", "[2]"]))
        for _ in range(rng.randint(0 if fields else 1, 4)):
            if later and rng.random() < 0.25:
                fields.append(rng.choice(later) + rng.choice(["", "[]"]))
            else:
                core = random_elementary()
                fields.append(core + rng.choice(["", "", "", "[]", "[3]", "[][2]"]))
        rng.shuffle(fields)
        types[name] = [{"name": f"f{i}_{name.lower()}", "type": t} for i, t in enumerate(fields)]
    return names[0], types


def random_typed_value(type_: str, types: dict, depth: int = 0):
    if type_.endswith("]"):
        inner, count = type_[: type_.rindex("[")], type_[type_.rindex("[") + 1 : -1]
        size = int(count) if count else rng.choice([0, 1, 2])
        return [random_typed_value(inner, types, depth + 1) for _ in range(size)]
    if type_ in types:
        return {field["name"]: random_typed_value(field["type"], types, depth + 1) for field in types[type_]}
    value, json_value = random_value(type_)
    if type_.startswith(("uint", "int")):
        # Numbers appear as JSON numbers, decimal strings and hex strings, as wallets send them.
        style = rng.choice(["number", "decimal", "hex"])
        if style == "number":
            return value
        if style == "hex" and value >= 0:
            return hex(value)
        return str(value)
    return json_value


def random_domain() -> dict:
    domain = {}
    for name, type_ in DOMAIN_FIELDS:
        if rng.random() < 0.6:
            domain[name] = {"name": "Cloister " + random_text()[:10], "version": str(rng.randint(1, 9)),
                            "chainId": rng.choice([1, 31337, 131277322940537, rng.randrange(1 << 64)]),
                            "verifyingContract": to_checksum_address(rng.randbytes(20)),
                            "salt": "0x" + rng.randbytes(32).hex()}[name]
    return domain


def sign_document(document: dict, key: bytes) -> dict:
    signable = encode_typed_data(full_message=document)
    signed = Account.sign_message(signable, key)
    return {
        "domainSeparator": "0x" + signable.header.hex(),
        "structHash": "0x" + signable.body.hex(),
        "digest": "0x" + _hash_eip191_message(signable).hex(),
        "privateKey": "0x" + key.hex(),
        "signer": Account.from_key(key).address,
        "signature": "0x" + bytes(signed.signature).hex(),
    }


def eip712_cases(count: int) -> list[dict]:
    cases = []
    for _ in range(count):
        primary, types = random_struct_types()
        domain = random_domain()
        document = {
            "types": {"EIP712Domain": [{"name": n, "type": t} for n, t in DOMAIN_FIELDS if n in domain], **types},
            "primaryType": primary,
            "domain": domain,
            "message": random_typed_value(primary, types),
        }
        cases.append({"document": document, **sign_document(document, random_key())})
    return cases


def mail_example() -> dict:
    """The example in EIP-712's text, signed by keccak256("cow"); the generator checks the published hashes."""
    document = {
        "types": {
            "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
                             {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}],
            "Person": [{"name": "name", "type": "string"}, {"name": "wallet", "type": "address"}],
            "Mail": [{"name": "from", "type": "Person"}, {"name": "to", "type": "Person"},
                     {"name": "contents", "type": "string"}],
        },
        "primaryType": "Mail",
        "domain": {"name": "Ether Mail", "version": "1", "chainId": 1,
                   "verifyingContract": "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},
        "message": {
            "from": {"name": "Cow", "wallet": "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},
            "to": {"name": "Bob", "wallet": "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},
            "contents": "Hello, Bob!",
        },
    }
    result = {"document": document, **sign_document(document, keccak(text="cow"))}
    assert result["domainSeparator"] == "0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f"
    assert result["structHash"] == "0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e"
    assert result["digest"] == "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2"
    assert result["signer"] == "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"
    return result


def fulfilment_example() -> dict:
    """A flat struct of bytes32 fields with a full domain, as the oracle node signs it from Swift types."""
    fields = ["requestId", "model", "inputHash", "outputCommitment", "attestationDigest"]
    document = {
        "types": {
            "EIP712Domain": [{"name": n, "type": t} for n, t in DOMAIN_FIELDS[:4]],
            "Fulfilment": [{"name": name, "type": "bytes32"} for name in fields],
        },
        "primaryType": "Fulfilment",
        "domain": {"name": "Cloister", "version": "1", "chainId": 31337,
                   "verifyingContract": to_checksum_address(rng.randbytes(20))},
        "message": {name: "0x" + rng.randbytes(32).hex() for name in fields},
    }
    return {"document": document, **sign_document(document, random_key())}


# ---------------------------------------------------------------- EIP-191


def eip191_cases(count: int) -> list[dict]:
    cases = []
    for index in range(count):
        key = random_key()
        if index % 2 == 0:
            message = random_text().encode()
        else:
            message = rng.randbytes(rng.choice([0, 1, 32, 200]))
        signable = encode_defunct(primitive=message)
        signed = Account.sign_message(signable, key)
        cases.append({
            "message": "0x" + message.hex(),
            "digest": "0x" + _hash_eip191_message(signable).hex(),
            "privateKey": "0x" + key.hex(),
            "signer": Account.from_key(key).address,
            "signature": "0x" + bytes(signed.signature).hex(),
        })
    return cases


def write(path: pathlib.Path, payload: dict, indent: int | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=indent, ensure_ascii=False) + "\n")
    print(f"wrote {path.relative_to(ROOT.parent.parent)}")


def main() -> None:
    tools = {"eth-abi": eth_abi.__version__, "eth-account": __import__("eth_account").__version__}
    cases = abi_cases(400)
    write(ROOT / "abi.json", {"generator": "scripts/gen_abi_vectors.py", "tools": tools, "cases": cases})
    write(ROOT / "abi_mutations.json", {"tools": tools, "cases": mutated_cases(cases, 1500)})
    write(ROOT / "eip712" / "random.json", {"tools": tools, "cases": eip712_cases(150)})
    write(ROOT / "eip712" / "mail.json", mail_example(), indent=1)
    write(ROOT / "eip712" / "fulfilment.json", fulfilment_example(), indent=1)
    write(ROOT / "eip191.json", {"tools": tools, "cases": eip191_cases(60)})


if __name__ == "__main__":
    main()
