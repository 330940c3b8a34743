"""Dev methods in anvil's and hardhat's dialect (mining, time, snapshots, automine and interval mining,
account state), geth's pool view (txpool_*), and the local chain's own devchain_reorg."""

from .chain import MAX_REORG_DEPTH
from .encoding import data, parse_address, parse_bool, parse_data, parse_quantity, parse_slot, quantity
from .errors import invalid_params
from .interval import MAX_BLOCK_TIME
from .serialize import transaction_json

MAX_BLOCKS_PER_CALL = 10_000


class DevMethods:
    def __init__(self, chain, interval_miner):
        self.chain = chain
        self.interval_miner = interval_miner

    def evm_mine(self, options=None):
        """Mines one block; takes nothing, a timestamp, or {timestamp, blocks} like anvil."""
        timestamp, blocks = None, 1
        if isinstance(options, dict):
            if options.get("timestamp") is not None:
                timestamp = parse_quantity(options["timestamp"], "timestamp", 2**63 - 1)
            if options.get("blocks") is not None:
                blocks = parse_quantity(options["blocks"], "blocks", MAX_BLOCKS_PER_CALL)
        elif options is not None:
            timestamp = parse_quantity(options, "timestamp", 2**63 - 1)
        if timestamp is not None:
            self._check_future(timestamp)
        for i in range(blocks):
            self.chain.mine(timestamp=timestamp if i == 0 else None)
        return "0x0"

    def anvil_mine(self, count=None, interval=None):
        blocks = parse_quantity(count, "blocks", MAX_BLOCKS_PER_CALL) if count is not None else 1
        step = parse_quantity(interval, "interval", 2**32) if interval is not None else None
        for _ in range(blocks):
            timestamp = None
            if step is not None:
                timestamp = self.chain.head_header().timestamp + max(step, 1)
            self.chain.mine(timestamp=timestamp)
        return None

    def evm_snapshot(self):
        return quantity(self.chain.snapshot())

    def evm_revert(self, snapshot_id):
        return self.chain.revert(parse_quantity(snapshot_id, "snapshot id", 2**63 - 1))

    def devchain_reorg(self, options):
        """Orphans the last `depth` blocks for a longer branch; takes a depth or {depth, blocks, reinject}."""
        if isinstance(options, dict):
            unknown = set(options) - {"depth", "blocks", "reinject"}
            if unknown:
                raise invalid_params(f"reorg: unknown options {sorted(unknown)}")
            if options.get("depth") is None:
                raise invalid_params("reorg: depth is required")
            depth = parse_quantity(options["depth"], "depth", MAX_REORG_DEPTH)
            blocks = parse_quantity(options["blocks"], "blocks", MAX_REORG_DEPTH + 1) \
                if options.get("blocks") is not None else None
            reinject = parse_bool(options["reinject"], "reinject") if options.get("reinject") is not None else False
        else:
            depth, blocks, reinject = parse_quantity(options, "depth", MAX_REORG_DEPTH), None, False
        try:
            done = self.chain.reorg(depth, blocks, reinject)
        except ValueError as error:
            raise invalid_params(f"reorg: {error}") from None
        return {
            "forkPoint": quantity(done.fork_point),
            "orphanedBlocks": [data(h) for h in done.orphaned_blocks],
            "newBlocks": [data(h) for h in done.new_blocks],
            "orphanedTransactions": [data(h) for h in done.orphaned_transactions],
            "reinjected": [data(h) for h in done.reinjected],
            "dropped": [data(h) for h in done.dropped],
        }

    def txpool_content(self):
        """geth's pool view: {pending, queued}, each sender -> decimal nonce -> the transaction."""
        content = {"pending": {}, "queued": {}}
        pool = self.chain.pool
        for kind, pooled in [("pending", p) for p in pool.ready.values()] + [("queued", p) for p in pool.future.values()]:
            entry = transaction_json(pooled.tx, pooled.sender, None)
            content[kind].setdefault(entry["from"], {})[str(pooled.tx.nonce)] = entry
        return content

    def txpool_status(self):
        return {"pending": quantity(len(self.chain.pool.ready)), "queued": quantity(len(self.chain.pool.future))}

    def evm_increaseTime(self, seconds):
        latest = self.chain.head_header().timestamp
        return quantity(self.chain.clock.increase(parse_quantity(seconds, "seconds", 2**63 - 1), latest))

    def evm_setNextBlockTimestamp(self, timestamp):
        value = parse_quantity(timestamp, "timestamp", 2**63 - 1)
        self._check_future(value)
        self.chain.clock.next_timestamp = value
        return None

    def evm_setAutomine(self, enabled):
        """On: one block per transaction (interval mining stops) and what waits is mined; off: the pool holds."""
        self.chain.automine = parse_bool(enabled, "enabled")
        if self.chain.automine:
            self.interval_miner.set(None)
            while self.chain.pool.ready:
                self.chain.mine(max_transactions=1)
        return True

    def anvil_getAutomine(self):
        return self.chain.automine

    def evm_setIntervalMining(self, seconds):
        """anvil's: a block every `seconds` (whole seconds) with what the pool holds, automine off; 0 stops
        interval mining and leaves mining to evm_mine (automine off too, as on anvil)."""
        value = parse_quantity(seconds, "seconds", MAX_BLOCK_TIME)  # a JSON number as anvil takes it, or hex
        self.chain.automine = False
        self.interval_miner.set(value or None)
        return None

    def anvil_setIntervalMining(self, seconds):
        return self.evm_setIntervalMining(seconds)

    def anvil_getIntervalMining(self):
        """The interval in seconds, or null when blocks are not mined on an interval."""
        return self.interval_miner.block_time

    def anvil_setBalance(self, address, balance):
        account, wei = parse_address(address), parse_quantity(balance, "balance")
        self.chain.apply_state_change(lambda state: state.set_balance(account, wei))
        return True

    def anvil_setNonce(self, address, nonce):
        account, value = parse_address(address), parse_quantity(nonce, "nonce", 2**64 - 1)
        self.chain.apply_state_change(lambda state: state.set_nonce(account, value))
        return True

    def anvil_setCode(self, address, code):
        account, value = parse_address(address), parse_data(code, "code")
        self.chain.apply_state_change(lambda state: state.set_code(account, value))
        return True

    def anvil_setStorageAt(self, address, slot, value):
        account, key = parse_address(address), parse_slot(slot)
        word = int.from_bytes(parse_data(value, "value", 32), "big")
        self.chain.apply_state_change(lambda state: state.set_storage(account, key, word))
        return True

    def _check_future(self, timestamp: int) -> None:
        latest = self.chain.head_header().timestamp
        if timestamp <= latest:
            raise invalid_params(f"timestamp {timestamp} is not after the latest block's ({latest})")

