"""fixtures/ethereum/rlp.json: RLP encodings from pyrlp, invalid encodings with the reason our decoder
must give (each one also rejected by pyrlp, except the nesting cap, which is our policy), and mutated
encodings labelled with pyrlp's strict verdict for a differential test."""
import json
import random

import rlp

SEED = 0x524C50
MAX_DEPTH = 64  # RLP.maximumDepth in Sources/Ethereum/RLP/RLP.swift


def to_json(item):
    return "0x" + item.hex() if isinstance(item, bytes) else [to_json(child) for child in item]


def nested(depth: int):
    item = []
    for _ in range(depth - 1):
        item = [item]
    return item


def random_item(rng: random.Random, depth: int = 0):
    if depth < 4 and rng.random() < 0.35:
        return [random_item(rng, depth + 1) for _ in range(rng.choice([0, 1, 2, 3, 5, 12]))]
    length = 1100 if rng.random() < 0.01 else rng.choice([0, 1, 1, 2, 20, 32, 55, 56, 57, rng.randint(0, 120)])
    return rng.randbytes(length)


def fixed_valid():
    return [
        b"", b"\x00", b"\x7f", b"\x80", b"\xff", b"dog", b"a" * 55, b"b" * 56, b"c" * 1024, b"d" * 65536,
        [], [[]], [b"cat", b"dog"], [[], [[]], [[], [[]]]], [b"x" * 30, b"y" * 30], nested(MAX_DEPTH),
    ]


def fixed_invalid():
    """(hex, reason) pairs; the reason is the name of the RLPError case the Swift decoder throws."""
    long_list = "f838" + "80" * 56
    return [
        ("", "empty"),
        ("81", "truncated"), ("83646f", "truncated"), ("b838" + "61" * 55, "truncated"), ("c3808080c0", "trailingBytes"),
        ("c480", "truncated"), ("f9", "truncated"), ("b9", "truncated"), ("c283646f67", "truncated"),
        ("8100", "nonCanonicalSingleByte"), ("817f", "nonCanonicalSingleByte"), ("c28105", "nonCanonicalSingleByte"),
        ("b80161", "nonMinimalLength"), ("b837" + "61" * 55, "nonMinimalLength"), ("f80180", "nonMinimalLength"),
        ("f837" + "80" * 55, "nonMinimalLength"),
        ("b90038" + "61" * 56, "leadingZeroInLength"), ("f90038" + "80" * 56, "leadingZeroInLength"),
        ("0000", "trailingBytes"), ("8000", "trailingBytes"), (long_list + "00", "trailingBytes"),
        ("bfffffffffffffffff", "lengthTooLarge"), ("ffffffffffffffffff", "lengthTooLarge"),
        ("bf7fffffffffffffff", "truncated"),
        ("c1", "truncated"),
        ("c1c1", "truncated"),
        (rlp.encode(nested(MAX_DEPTH + 1)).hex(), "nestingTooDeep"),
    ]


def pyrlp_accepts(data: bytes) -> bool:
    try:
        rlp.decode(data, strict=True)
        return True
    except Exception:
        return False


def mutate(rng: random.Random, data: bytes) -> bytes:
    buffer = bytearray(data)
    kind = rng.randrange(5)
    if kind == 0 and buffer:
        position = rng.randrange(len(buffer))
        buffer[position] ^= 1 << rng.randrange(8)
    elif kind == 1 and buffer:
        del buffer[rng.randrange(len(buffer)):]
    elif kind == 2:
        buffer.insert(rng.randrange(len(buffer) + 1), rng.randrange(256))
    elif kind == 3 and buffer:
        buffer[rng.randrange(len(buffer))] = rng.choice([0x00, 0x7F, 0x80, 0x81, 0xB7, 0xB8, 0xBF, 0xC0, 0xF7, 0xF8, 0xFF])
    elif buffer:
        del buffer[rng.randrange(len(buffer))]
    return bytes(buffer)


def write(out) -> None:
    rng = random.Random(SEED)
    items = fixed_valid() + [random_item(rng) for _ in range(200)]
    valid = [{"hex": rlp.encode(item).hex(), "item": to_json(item)} for item in items]
    for case in valid:
        assert pyrlp_accepts(bytes.fromhex(case["hex"]))

    invalid = []
    for hex_text, reason in fixed_invalid():
        data = bytes.fromhex(hex_text)
        assert reason == "nestingTooDeep" or not pyrlp_accepts(data), f"pyrlp accepts {hex_text}"
        invalid.append({"hex": hex_text, "reason": reason})

    mutated = []
    small = [bytes.fromhex(case["hex"]) for case in valid if len(case["hex"]) < 600]
    for _ in range(600):
        data = mutate(rng, rng.choice(small))
        entry = {"hex": data.hex(), "pyrlpAccepts": pyrlp_accepts(data)}
        if entry["pyrlpAccepts"]:
            entry["item"] = to_json(rlp.decode(data))
        mutated.append(entry)

    path = out / "rlp.json"
    note = "pyrlp 5.0.0 (strict decoding); items are 0x-hex byte strings or JSON arrays"
    path.write_text(json.dumps({"source": note, "maximumDepth": MAX_DEPTH, "valid": valid, "invalid": invalid,
                                "mutated": mutated}, indent=1) + "\n")
    print(f"wrote {len(valid)} valid, {len(invalid)} invalid, {len(mutated)} mutated RLP cases to {path}")
