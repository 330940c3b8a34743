"""Read-only JSON-RPC methods: chain identity, blocks, accounts, logs, fees."""

from eth_hash.auto import keccak

from . import CLIENT_VERSION
from .blocktags import block_number, state_header
from .encoding import data, parse_address, parse_bool, parse_data, parse_hash, parse_quantity, parse_slot, quantity
from .feehistory import fee_history
from .logfilter import get_logs
from .serialize import header_json, transaction_json

SUGGESTED_TIP_WEI = 10**9  # what eth_maxPriorityFeePerGas suggests, as anvil does


class ChainMethods:
    def __init__(self, chain):
        self.chain = chain

    def web3_clientVersion(self):
        return CLIENT_VERSION

    def net_version(self):
        return str(self.chain.chain_id)

    def net_listening(self):
        return True

    def web3_sha3(self, payload):
        return data(keccak(parse_data(payload, "data")))

    def eth_chainId(self):
        return quantity(self.chain.chain_id)

    def eth_syncing(self):
        return False

    def eth_blockNumber(self):
        return quantity(self.chain.head_number)

    def eth_accounts(self):
        return [data(a.address) for a in self.chain.accounts]

    def eth_gasPrice(self):
        return quantity(self.chain.next_base_fee() + SUGGESTED_TIP_WEI)

    def eth_maxPriorityFeePerGas(self):
        return quantity(SUGGESTED_TIP_WEI)

    def eth_feeHistory(self, block_count, newest_block, reward_percentiles=None):
        return fee_history(self.chain, block_count, newest_block, reward_percentiles)

    def eth_getBlockByNumber(self, tag, full_transactions):
        full = parse_bool(full_transactions, "full transactions")
        if tag == "pending":
            return self._pending_block(full)
        number = block_number(self.chain, tag)
        if number > self.chain.head_number:
            return None
        return self.chain.canonical_record(number).json(full)

    def eth_getBlockByHash(self, block_hash, full_transactions):
        full = parse_bool(full_transactions, "full transactions")
        record = self.chain.record(parse_hash(block_hash, "block hash"))
        return record.json(full) if record else None

    def eth_getBlockReceipts(self, tag):
        if isinstance(tag, str) and len(tag) == 66:
            record = self.chain.record(parse_hash(tag, "block hash"))
        else:
            number = block_number(self.chain, tag)
            record = self.chain.canonical_record(number) if number <= self.chain.head_number else None
        return record.receipts if record else None

    def eth_getBlockTransactionCountByNumber(self, tag):
        number = block_number(self.chain, tag)
        if number > self.chain.head_number:
            return None
        return quantity(len(self.chain.canonical_record(number).transactions))

    def eth_getBlockTransactionCountByHash(self, block_hash):
        record = self.chain.record(parse_hash(block_hash, "block hash"))
        return quantity(len(record.transactions)) if record else None

    def eth_getTransactionByBlockNumberAndIndex(self, tag, index):
        number, position = block_number(self.chain, tag), parse_quantity(index, "index", 2**32)
        if number > self.chain.head_number:
            return None
        transactions = self.chain.canonical_record(number).transactions
        return transactions[position] if position < len(transactions) else None

    def eth_getBalance(self, address, block=None):
        state = self.chain.state_at(state_header(self.chain, block))
        return quantity(state.get_balance(parse_address(address)))

    def eth_getTransactionCount(self, address, block=None):
        account = parse_address(address)
        if block == "pending":
            return quantity(self.chain.pending_nonce(account))
        return quantity(self.chain.state_at(state_header(self.chain, block)).get_nonce(account))

    def eth_getCode(self, address, block=None):
        state = self.chain.state_at(state_header(self.chain, block))
        return data(state.get_code(parse_address(address)))

    def eth_getStorageAt(self, address, slot, block=None):
        state = self.chain.state_at(state_header(self.chain, block))
        value = state.get_storage(parse_address(address), parse_slot(slot))
        return data(value.to_bytes(32, "big"))

    def eth_getLogs(self, log_filter):
        return get_logs(self.chain, log_filter)

    def _pending_block(self, full: bool) -> dict:
        """The block the pool would make next; like geth, without hash, nonce or miner."""
        chain = self.chain
        head = chain.head_header()
        pooled = list(chain.pool.ready.values())
        block = header_json(head)
        block.update({
            "number": quantity(head.block_number + 1),
            "parentHash": data(head.hash),
            "hash": None, "nonce": None, "miner": None,
            "timestamp": quantity(chain.clock.peek(head.timestamp)),
            "baseFeePerGas": quantity(chain.next_base_fee()),
            "gasUsed": quantity(0),
            "transactions": [transaction_json(p.tx, p.sender, None) if full else data(p.tx.hash) for p in pooled],
            "uncles": [], "withdrawals": [],
        })
        return block
