"""DevChain: the py-evm chain plus what a node expects around it.

It keeps its own canonical index (block hashes by number, transaction hashes by block)
so lookups never scan blocks, mines one block per transaction when automine is on,
holds transactions in a pool when it is off (sealed by `evm_mine` or, on an interval, by
`interval.IntervalMiner`), and snapshots/reverts the head to stage reorgs.
Not thread-safe: the server serialises calls with one lock.
"""

import dataclasses
import os
from dataclasses import dataclass

from eth.constants import GENESIS_PARENT_HASH
from eth.exceptions import BlockNotFound, HeaderNotFound
from eth.vm.forks.london.headers import calculate_expected_base_fee_per_gas
from eth_utils import ValidationError

from .accounts import DEFAULT_BALANCE_WEI, DevAccount, dev_accounts
from .admission import ChainRules, check_against_state, check_stateless, decode_raw_transaction
from .clock import BlockClock
from .errors import RPCError, rejected
from .execution import MessageRunner
from .genesis import DEFAULT_GAS_LIMIT, build_chain
from .records import BlockRecord, RecordCache
from .txpool import PooledTransaction, TxPool


@dataclass(frozen=True)
class Reorg:
    """What `DevChain.reorg` did: the fork point, both branches, and the fate of the orphaned transactions."""

    fork_point: int
    orphaned_blocks: list[bytes]
    new_blocks: list[bytes]
    orphaned_transactions: list[bytes]  # in their old order
    reinjected: list[bytes]  # back in the pool (or mined again under automine)
    dropped: list[bytes]  # orphaned or pooled transactions the chain forgot


MAX_REORG_DEPTH = 64


@dataclass(frozen=True)
class Snapshot:
    head_number: int
    clock: BlockClock
    pool: TxPool


class DevChain:
    def __init__(self, chain_id: int = 31337, accounts: list[DevAccount] | None = None,
                 balance: int = DEFAULT_BALANCE_WEI, gas_limit: int = DEFAULT_GAS_LIMIT):
        self.chain_id = chain_id
        self.accounts = accounts if accounts is not None else dev_accounts()
        self._chain = build_chain(chain_id, {a.address: balance for a in self.accounts}, gas_limit)
        genesis = self._chain.get_canonical_head()
        self._canonical: list[bytes] = [genesis.hash]
        self._block_txs: list[tuple[bytes, ...]] = [()]
        self._tx_block: dict[bytes, int] = {}
        self.records = RecordCache(self._chain)
        self.pool = TxPool()
        self.clock = BlockClock()
        self.automine = True
        self._snapshots: dict[int, Snapshot] = {}
        self._next_snapshot_id = 1
        self._head_state = None
        self.dropped: dict[bytes, str] = {}  # transactions the last mine() evicted, with py-evm's reason
        # Called with each sealed block's header, in order, under the caller's lock (the WebSocket
        # front's newHeads subscriptions); a listener must not block.
        self.head_listeners: list = []

    # Head and blocks

    @property
    def head_number(self) -> int:
        return len(self._canonical) - 1

    def canonical_hash(self, number: int) -> bytes | None:
        return self._canonical[number] if 0 <= number < len(self._canonical) else None

    def header(self, number: int):
        return self._chain.get_block_header_by_hash(self._canonical[number])

    def head_header(self):
        return self.header(self.head_number)

    def record(self, block_hash: bytes) -> BlockRecord | None:
        """Any stored block by hash, canonical or not (as geth answers eth_getBlockByHash)."""
        try:
            return self.records.get(block_hash)
        except (BlockNotFound, HeaderNotFound):
            return None

    def canonical_record(self, number: int) -> BlockRecord:
        return self.records.get(self._canonical[number])

    def is_canonical(self, block_hash: bytes, number: int) -> bool:
        return self.canonical_hash(number) == block_hash

    def base_fee_after(self, number: int) -> int:
        """The base fee of the block that would follow block `number`."""
        return calculate_expected_base_fee_per_gas(self.header(number))

    def next_base_fee(self) -> int:
        return self.base_fee_after(self.head_number)

    def gas_limit(self) -> int:
        return self.head_header().gas_limit

    # State

    def state_at(self, header):
        """A state for reads at `header`; the head's is cached (calls revert what they change)."""
        if header.hash == self._canonical[-1]:
            if self._head_state is None:
                self._head_state = self._chain.get_vm(at_header=header).state
            return self._head_state
        return self._chain.get_vm(at_header=header).state

    def transaction_builder(self, header):
        return self._chain.get_vm_class(header).get_transaction_builder()

    def runner(self, header) -> MessageRunner:
        return MessageRunner(self.state_at(header), self.transaction_builder(header), self.chain_id, header.gas_limit)

    def pending_nonce(self, address: bytes) -> int:
        return self.state_at(self.head_header()).get_nonce(address) + self.pool.ready_count(address)

    # Transactions

    def submit_raw(self, raw: bytes) -> bytes:
        """Admits a signed transaction to the pool (mining it at once under automine); returns its hash."""
        head = self.head_header()
        tx = decode_raw_transaction(self.transaction_builder(head), raw)
        rules = ChainRules(self.chain_id, self.next_base_fee(), head.gas_limit)
        sender = check_stateless(tx, rules)
        state_nonce = check_against_state(tx, sender, self.state_at(head))
        self.pool.add(PooledTransaction(tx, sender), state_nonce)
        if self.automine:
            while self.pool.ready:
                self.mine(max_transactions=1)
                if tx.hash in self.dropped:
                    raise rejected(f"transaction rejected by the EVM: {self.dropped[tx.hash]}")
        return tx.hash

    def find_transaction(self, tx_hash: bytes):
        """(record, index) for a canonical transaction, a PooledTransaction if waiting, else None."""
        number = self._tx_block.get(tx_hash)
        if number is not None:
            record = self.canonical_record(number)
            return record, record.index_of[tx_hash]
        return self.pool.get(tx_hash)

    # Mining

    def mine(self, timestamp: int | None = None, max_transactions: int | None = None) -> BlockRecord:
        """Seals one block with ready pool transactions that fit, in arrival order.

        The transactions run on one VM and the block's tries are built once: py-evm's
        `MiningChain.apply_transaction` rebuilds them after every transaction, which made a block of
        200 contract calls take 11 s to seal (0.7 s for 40) where this takes a fraction of a second.
        """
        chain = self._chain
        parent = self._fresh_pending_header()
        chain.set_header_timestamp(self.clock.timestamp_for_next_block(parent.timestamp, timestamp))
        vm = chain.get_vm(chain.header)
        pending = vm.get_block()
        header = pending.header
        included, receipts, senders = [], [], {}
        self.dropped = {}
        for tx_hash, pooled in list(self.pool.ready.items()):
            if tx_hash not in self.pool.ready:
                continue  # dropped with an earlier nonce of its sender
            if max_transactions is not None and len(included) >= max_transactions:
                break
            if pooled.tx.gas > header.gas_limit - header.gas_used:
                break
            try:
                # Validation (header, nonce, balance, fees) comes before any change to the state.
                receipt, _ = vm.apply_transaction(header, pooled.tx)
            except ValidationError as error:
                # It can no longer run (e.g. the base fee rose or a snapshot moved the state): drop
                # it and the sender's later nonces, as a node evicts unexecutable transactions.
                self.dropped[tx_hash] = str(error)
                self.pool.drop_sender_from(pooled.sender, pooled.tx.nonce)
                continue
            header = vm.add_receipt_to_header(header, receipt)
            included.append(pooled.tx)
            receipts.append(receipt)
            senders[tx_hash] = pooled.sender
        if included:
            vm.state.persist()
            header = header.copy(state_root=vm.state.state_root)
            chain.header = vm.set_block_transactions_and_withdrawals(pending, header, included, receipts).header
        self.pool.remove(senders)
        return self._seal(senders)

    def seal_interval_block(self, block_time: int) -> BlockRecord:
        """The interval miner's block: every ready transaction that fits, `block_time` seconds after the head."""
        return self.mine(timestamp=self.clock.after_interval(self.head_header().timestamp, block_time))

    def apply_state_change(self, change) -> BlockRecord:
        """Runs `change(state)` and seals the result in a new empty block, so `latest` shows it."""
        chain = self._chain
        parent = self._fresh_pending_header()
        chain.set_header_timestamp(self.clock.timestamp_for_next_block(parent.timestamp))
        state = chain.get_vm(chain.header).state
        change(state)
        state.persist()
        chain.header = chain.header.copy(state_root=state.state_root)
        return self._seal()

    def _fresh_pending_header(self):
        """Makes sure py-evm's pending header is empty and on top of the head; returns the head header.

        py-evm already prepares it after every sealed block, so usually nothing is rebuilt.
        """
        chain, parent = self._chain, self.head_header()
        pending = chain.header
        if pending.parent_hash != parent.hash or pending.gas_used or pending.state_root != parent.state_root:
            chain.header = chain.create_header_from_parent(parent)
        return parent

    def _seal(self, senders: dict[bytes, bytes] | None = None) -> BlockRecord:
        block = self._chain.mine_block(mix_hash=os.urandom(32))
        record = self.records.add(block, senders)
        self._canonical.append(block.hash)
        self._block_txs.append(tuple(record.index_of))
        for tx_hash in record.index_of:
            self._tx_block[tx_hash] = block.number
        self._head_state = None
        for listener in list(self.head_listeners):
            listener(block.header)
        return record

    # Snapshots and reorgs

    def snapshot(self) -> int:
        snapshot_id = self._next_snapshot_id
        self._next_snapshot_id += 1
        self._snapshots[snapshot_id] = Snapshot(self.head_number, dataclasses.replace(self.clock), self.pool.copy())
        return snapshot_id

    def revert(self, snapshot_id: int) -> bool:
        """Moves the head back to the snapshot; later snapshots and this one are used up."""
        snapshot = self._snapshots.get(snapshot_id)
        if snapshot is None:
            return False
        for later in [i for i in self._snapshots if i >= snapshot_id]:
            del self._snapshots[later]
        self._set_head(snapshot.head_number)
        self.clock = dataclasses.replace(snapshot.clock)
        self.pool = snapshot.pool.copy()
        return True

    def reorg(self, depth: int, blocks: int | None = None, reinject: bool = False) -> Reorg:
        """Orphans the last `depth` blocks and seals a longer replacement branch of `blocks` empty blocks
        (default `depth + 1`) whose timestamps continue after the orphaned head's.

        The orphaned blocks' transactions, and those waiting in the pool, are either forgotten
        (`reinject` false: as evm_revert to a snapshot at the fork point, and as load-balanced providers
        and L2 sequencers can do) or put back into the pool in their old order, as geth does, where they
        are mined again on the new branch (at once under automine). Snapshots above the fork point are
        used up, since the heights they recorded now hold other blocks.
        """
        if not 1 <= depth <= min(MAX_REORG_DEPTH, self.head_number):
            raise ValueError(f"depth must be within 1..{min(MAX_REORG_DEPTH, self.head_number)} (got {depth})")
        blocks = depth + 1 if blocks is None else blocks
        if not depth < blocks <= MAX_REORG_DEPTH + 1:
            raise ValueError(f"blocks must be within {depth + 1}..{MAX_REORG_DEPTH + 1}: the new branch must be "
                             f"longer than the one it replaces (got {blocks})")
        fork_point = self.head_number - depth
        old_head_timestamp = self.head_header().timestamp
        orphaned_blocks = self._canonical[fork_point + 1:]
        orphaned = []  # (tx, sender) in block order
        for block_hash in orphaned_blocks:
            record = self.records.get(block_hash)
            for tx, tx_json in zip(record.block.transactions, record.transactions):
                orphaned.append(PooledTransaction(tx, bytes.fromhex(tx_json["from"][2:])))
        waiting = list(self.pool.ready.values()) + list(self.pool.future.values())
        for later in [i for i, s in self._snapshots.items() if s.head_number > fork_point]:
            del self._snapshots[later]
        self._set_head(fork_point)
        self.pool = TxPool()
        new_blocks = []
        for i in range(blocks):
            # The first new block is later than the orphaned head, so time never runs backwards for a reader.
            timestamp = max(old_head_timestamp + 1, self.clock.peek(self.head_header().timestamp)) if i == 0 else None
            new_blocks.append(self.mine(timestamp=timestamp, max_transactions=0).hash)
        reinjected, dropped = [], []
        for pooled in orphaned + waiting:
            if not reinject:
                dropped.append(pooled.tx.hash)
                continue
            try:
                self.pool.add(pooled, self.state_at(self.head_header()).get_nonce(pooled.sender))
                reinjected.append(pooled.tx.hash)
            except RPCError:  # e.g. a pooled replacement of an orphaned nonce: the first one wins
                dropped.append(pooled.tx.hash)
        if self.automine:
            while self.pool.ready:
                self.mine(max_transactions=1)
        # What could no longer run on the new branch (e.g. a fee cap below the base fee) was evicted.
        dropped += [h for h in reinjected if self.find_transaction(h) is None]
        reinjected = [h for h in reinjected if self.find_transaction(h) is not None]
        return Reorg(fork_point, orphaned_blocks, new_blocks, [p.tx.hash for p in orphaned], reinjected, dropped)

    def _set_head(self, number: int) -> None:
        header = self.header(number)
        chaindb = self._chain.chaindb
        chaindb._set_as_canonical_chain_head(chaindb.db, header, GENESIS_PARENT_HASH)
        self._chain.header = self._chain.create_header_from_parent(header)
        while self.head_number > number:
            self._canonical.pop()
            for tx_hash in self._block_txs.pop():
                self._tx_block.pop(tx_hash, None)
        self._head_state = None
