"""eth_getLogs filters: addresses, topic positions with null wildcards and OR lists, ranges or a block hash."""

from dataclasses import dataclass

from .blocktags import block_number
from .encoding import parse_address, parse_hash
from .errors import invalid_params, rejected

MAX_TOPICS = 4


@dataclass(frozen=True)
class LogFilter:
    addresses: frozenset[bytes] | None  # None matches any address
    topics: tuple[frozenset[bytes] | None, ...]  # per position; None matches anything

    def matches(self, address: bytes, topics: tuple[bytes, ...]) -> bool:
        if self.addresses is not None and address not in self.addresses:
            return False
        if len(self.topics) > len(topics):
            return False
        return all(wanted is None or topic in wanted for wanted, topic in zip(self.topics, topics))


def parse_filter(obj) -> LogFilter:
    if not isinstance(obj, dict):
        raise invalid_params("filter: expected an object")
    return LogFilter(_addresses(obj.get("address")), _topics(obj.get("topics")))


def _addresses(raw) -> frozenset[bytes] | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        return frozenset([parse_address(raw)])
    if isinstance(raw, list):
        return frozenset(parse_address(a) for a in raw) or None
    raise invalid_params("address: expected an address or a list of addresses")


def _topics(raw) -> tuple:
    if raw is None:
        return ()
    if not isinstance(raw, list) or len(raw) > MAX_TOPICS:
        raise invalid_params(f"topics: expected a list of at most {MAX_TOPICS} entries")
    positions = []
    for entry in raw:
        if entry is None:
            positions.append(None)
        elif isinstance(entry, str):
            positions.append(frozenset([parse_hash(entry, "topic")]))
        elif isinstance(entry, list):
            if any(t is None for t in entry):
                positions.append(None)  # a null among the alternatives matches anything
            else:
                positions.append(frozenset(parse_hash(t, "topic") for t in entry) or None)
        else:
            raise invalid_params("topics: each entry must be null, a topic or a list of topics")
    return tuple(positions)


def get_logs(chain, obj) -> list[dict]:
    log_filter = parse_filter(obj)
    if obj.get("blockHash") is not None:
        if obj.get("fromBlock") is not None or obj.get("toBlock") is not None:
            raise invalid_params("cannot specify both BlockHash and FromBlock/ToBlock, choose one or the other")
        record = chain.record(parse_hash(obj["blockHash"], "blockHash"))
        if record is None:
            raise rejected("unknown block")
        records = [record]
    else:
        first = block_number(chain, obj.get("fromBlock"))
        last = min(block_number(chain, obj.get("toBlock")), chain.head_number)
        if first > last and first <= chain.head_number:
            raise invalid_params("invalid block range params")
        records = (chain.canonical_record(n) for n in range(first, last + 1))
    return [entry.json for record in records for entry in record.logs
            if log_filter.matches(entry.address, entry.topics)]
