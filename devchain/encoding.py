"""Parsing and formatting of JSON-RPC values: quantities, data, addresses, hashes.

Every parser raises an invalid-params RPCError naming the offending field, so a
malformed request is answered with -32602 instead of failing somewhere deeper.
"""

from .errors import invalid_params

MAX_UINT256 = 2**256 - 1
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


def _hex_int(digits: str) -> int | None:
    """The value of hex digits, or None; stricter than int(x, 16), which takes signs, spaces and underscores."""
    if not digits or not _HEX_DIGITS.issuperset(digits):
        return None
    return int(digits, 16)


def quantity(value: int) -> str:
    return hex(value)


def data(value: bytes) -> str:
    return "0x" + value.hex()


def parse_quantity(value, field: str, maximum: int = MAX_UINT256) -> int:
    """A hex quantity ("0x1a"); plain JSON integers are accepted too, as geth does for some fields."""
    if isinstance(value, bool):
        raise invalid_params(f"{field}: expected a hex quantity, got {value!r}")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value[:2] in ("0x", "0X"):
        number = _hex_int(value[2:])
        if number is None:
            raise invalid_params(f"{field}: invalid hex quantity {value[:80]!r}")
    else:
        raise invalid_params(f"{field}: expected a hex quantity, got {str(value)[:80]!r}")
    if not 0 <= number <= maximum:
        raise invalid_params(f"{field}: quantity out of range")
    return number


def parse_data(value, field: str, length: int | None = None) -> bytes:
    """Hex data ("0x…", even number of digits); `length` demands an exact byte count."""
    if not isinstance(value, str) or value[:2] not in ("0x", "0X"):
        raise invalid_params(f"{field}: expected 0x-prefixed hex data")
    digits = value[2:]
    if len(digits) % 2:
        raise invalid_params(f"{field}: hex data has an odd number of digits")
    if not _HEX_DIGITS.issuperset(digits):
        raise invalid_params(f"{field}: invalid hex data")
    raw = bytes.fromhex(digits)
    if length is not None and len(raw) != length:
        raise invalid_params(f"{field}: expected {length} bytes, got {len(raw)}")
    return raw


def parse_address(value, field: str = "address") -> bytes:
    return parse_data(value, field, 20)


def parse_hash(value, field: str = "hash") -> bytes:
    return parse_data(value, field, 32)


def parse_slot(value, field: str = "slot") -> int:
    """A storage slot: geth accepts any hex string up to 32 bytes, padded or not."""
    if not isinstance(value, str) or value[:2] not in ("0x", "0X") or len(value) > 66:
        raise invalid_params(f"{field}: expected hex of at most 32 bytes")
    number = _hex_int(value[2:])
    if number is None:
        raise invalid_params(f"{field}: invalid hex")
    return number


def parse_bool(value, field: str) -> bool:
    if not isinstance(value, bool):
        raise invalid_params(f"{field}: expected true or false")
    return value
