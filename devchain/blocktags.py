"""Block parameters: tags, numbers and EIP-1898 objects, resolved against a DevChain.

Without a consensus layer, `safe` and `finalized` are the latest block (as on anvil);
`pending` reads the latest state (pool transactions are not applied before mining).
"""

from .encoding import parse_bool, parse_hash, parse_quantity
from .errors import invalid_params, rejected

LATEST_ALIASES = ("latest", "safe", "finalized", "pending")


def block_number(chain, tag) -> int:
    """The number a tag or quantity names; may exceed the head (the caller decides what that means)."""
    if tag is None or tag in LATEST_ALIASES:
        return chain.head_number
    if tag == "earliest":
        return 0
    if isinstance(tag, str) and not tag.startswith("0x"):
        raise invalid_params(f"invalid block tag {tag!r}")
    return parse_quantity(tag, "block number", 2**63 - 1)


def state_header(chain, param):
    """The header whose post-state a read uses (eth_getBalance, eth_call, ...)."""
    if isinstance(param, dict):
        return _header_for_object(chain, param)
    number = block_number(chain, param)
    if number > chain.head_number:
        raise rejected("header not found")
    return chain.header(number)


def _header_for_object(chain, param: dict):
    if "blockHash" in param:
        block_hash = parse_hash(param["blockHash"], "blockHash")
        record = chain.record(block_hash)
        if record is None:
            raise rejected("header for hash not found")
        if param.get("requireCanonical") is not None and parse_bool(param["requireCanonical"], "requireCanonical"):
            if not chain.is_canonical(block_hash, record.number):
                raise rejected("hash is not currently canonical")
        return record.block.header
    if "blockNumber" in param:
        return state_header(chain, param["blockNumber"])
    raise invalid_params("block: expected blockHash or blockNumber")
