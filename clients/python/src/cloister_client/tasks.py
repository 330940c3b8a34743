"""Task inputs and outputs as the deployment file declares them, e.g. "abi.encode(string text, string[] labels)"."""
from __future__ import annotations

import re

import eth_abi

_ENCODING = re.compile(r"^abi\.encode\((.*)\)$")


def parse_encoding(declared: str) -> list[tuple[str, str]]:
    """[(type, name)] of a declaration such as "abi.encode(uint256 best, int256[] scores)"."""
    match = _ENCODING.match(declared.strip())
    if not match:
        raise ValueError(f"not an abi.encode(...) declaration: {declared!r}")
    fields = []
    for part in filter(None, (p.strip() for p in match.group(1).split(","))):
        kind, _, name = part.partition(" ")
        fields.append((kind, name.strip()))
    return fields


def encode(declared: str, *values) -> bytes:
    """The task input `declared` describes, from its values in order."""
    fields = parse_encoding(declared)
    if len(values) != len(fields):
        names = ", ".join(f"{t} {n}" for t, n in fields)
        raise ValueError(f"{declared} takes {len(fields)} values ({names}), got {len(values)}")
    return eth_abi.encode([t for t, _ in fields], list(values))


def decode(declared: str, data: bytes) -> dict:
    """{name: value} of an output `declared` describes (lists for arrays, bytes for bytes)."""
    fields = parse_encoding(declared)
    values = eth_abi.decode([t for t, _ in fields], data)
    return {name or f"value{i}": (list(v) if isinstance(v, tuple) else v) for i, ((_, name), v) in enumerate(zip(fields, values))}
