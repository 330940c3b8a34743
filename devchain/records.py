"""Per-block views built once and cached by block hash: transactions, receipts, logs.

A block hash names immutable content, so these caches never go stale; a reorg only
changes which hashes are canonical (see canonical.py).
"""

from collections import OrderedDict
from dataclasses import dataclass, field

from .encoding import data, quantity
from .serialize import block_json, contract_address, effective_gas_price, transaction_json, transaction_type


@dataclass(frozen=True)
class LogEntry:
    address: bytes
    topics: tuple[bytes, ...]
    json: dict


@dataclass
class BlockRecord:
    block: object
    transactions: list[dict]
    receipts: list[dict]
    logs: list[LogEntry]
    index_of: dict[bytes, int]
    _shapes: dict = field(default_factory=dict)

    @property
    def number(self) -> int:
        return self.block.number

    @property
    def hash(self) -> bytes:
        return self.block.hash

    def json(self, full_transactions: bool) -> dict:
        """The block as eth_getBlockBy* returns it (computed once per shape)."""
        if full_transactions not in self._shapes:
            txs = self.transactions if full_transactions else [t["hash"] for t in self.transactions]
            self._shapes[full_transactions] = block_json(self.block, txs)
        return self._shapes[full_transactions]


def build_record(block, chaindb, known_senders: dict[bytes, bytes] | None = None) -> BlockRecord:
    """`known_senders` (tx hash -> sender) saves recovering signatures the pool already recovered."""
    known_senders = known_senders or {}
    header = block.header
    base_fee = header.base_fee_per_gas
    receipts = block.get_receipts(chaindb)
    location = (block.hash, block.number)
    tx_json, receipt_json, logs, index_of = [], [], [], {}
    previous_cumulative = 0
    for index, (tx, receipt) in enumerate(zip(block.transactions, receipts)):
        sender = known_senders.get(tx.hash) or tx.sender
        index_of[tx.hash] = index
        tx_json.append(transaction_json(tx, sender, (*location, index, base_fee)))
        receipt_logs = []
        for log in receipt.logs:
            topics = tuple(topic.to_bytes(32, "big") for topic in log.topics)
            entry = {
                "address": data(log.address),
                "topics": [data(topic) for topic in topics],
                "data": data(log.data),
                "blockNumber": quantity(block.number),
                "blockHash": data(block.hash),
                "blockTimestamp": quantity(header.timestamp),
                "transactionHash": data(tx.hash),
                "transactionIndex": quantity(index),
                "logIndex": quantity(len(logs)),
                "removed": False,
            }
            logs.append(LogEntry(log.address, topics, entry))
            receipt_logs.append(entry)
        created = contract_address(tx, sender)
        receipt_json.append({
            "type": quantity(transaction_type(tx)),
            "transactionHash": data(tx.hash),
            "transactionIndex": quantity(index),
            "blockHash": data(block.hash),
            "blockNumber": quantity(block.number),
            "from": data(sender),
            "to": data(tx.to) if tx.to else None,
            "cumulativeGasUsed": quantity(receipt.gas_used),
            "gasUsed": quantity(receipt.gas_used - previous_cumulative),
            "effectiveGasPrice": quantity(effective_gas_price(tx, base_fee)),
            "contractAddress": data(created) if created else None,
            "logs": receipt_logs,
            "logsBloom": data(receipt.bloom.to_bytes(256, "big")),
            "status": quantity(1 if receipt.state_root == b"\x01" else 0),
        })
        previous_cumulative = receipt.gas_used
    return BlockRecord(block, tx_json, receipt_json, logs, index_of)


class RecordCache:
    """Least-recently-used BlockRecords by block hash."""

    def __init__(self, chain, capacity: int = 16384):
        self._chain = chain
        self._capacity = capacity
        self._records: OrderedDict[bytes, BlockRecord] = OrderedDict()

    def get(self, block_hash: bytes) -> BlockRecord:
        """The record of a stored block; raises py-evm's BlockNotFound/HeaderNotFound if unknown."""
        record = self._records.get(block_hash)
        if record is not None:
            self._records.move_to_end(block_hash)
            return record
        return self.add(self._chain.get_block_by_hash(block_hash))

    def add(self, block, known_senders: dict[bytes, bytes] | None = None) -> BlockRecord:
        record = build_record(block, self._chain.chaindb, known_senders)
        self._records[block.hash] = record
        if len(self._records) > self._capacity:
            self._records.popitem(last=False)
        return record
