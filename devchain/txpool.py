"""Transactions waiting for a block: ready ones in arrival order, future ones by nonce."""

from dataclasses import dataclass, field

from .errors import rejected

MAX_FUTURE_PER_SENDER = 64
REPLACEMENT_BUMP_PERCENT = 10


@dataclass
class PooledTransaction:
    tx: object
    sender: bytes


@dataclass
class TxPool:
    """`ready` holds gap-free nonces per sender (mined in order); `future` waits for the gap to close."""

    ready: dict[bytes, PooledTransaction] = field(default_factory=dict)
    future: dict[tuple[bytes, int], PooledTransaction] = field(default_factory=dict)

    def copy(self) -> "TxPool":
        return TxPool(dict(self.ready), dict(self.future))

    def get(self, tx_hash: bytes) -> PooledTransaction | None:
        found = self.ready.get(tx_hash)
        if found is None:
            found = next((p for p in self.future.values() if p.tx.hash == tx_hash), None)
        return found

    def ready_count(self, sender: bytes) -> int:
        return sum(1 for p in self.ready.values() if p.sender == sender)

    def add(self, pooled: PooledTransaction, state_nonce: int) -> None:
        """Adds or replaces; the caller has already checked fees, funds and nonce >= state nonce."""
        tx, sender = pooled.tx, pooled.sender
        if self.get(tx.hash) is not None:
            raise rejected("already known")
        pending_nonce = state_nonce + self.ready_count(sender)
        if tx.nonce < pending_nonce:
            self._replace_ready(pooled)
        elif tx.nonce == pending_nonce:
            self.ready[tx.hash] = pooled
            self._promote(sender, pending_nonce + 1)
        else:
            self._add_future(pooled, pending_nonce)

    def remove(self, tx_hashes) -> None:
        for tx_hash in tx_hashes:
            self.ready.pop(tx_hash, None)

    def drop_sender_from(self, sender: bytes, nonce: int) -> None:
        """Drops a sender's ready transactions from `nonce` on (they can no longer be mined in order)."""
        for tx_hash in [h for h, p in self.ready.items() if p.sender == sender and p.tx.nonce >= nonce]:
            del self.ready[tx_hash]

    def _replace_ready(self, pooled: PooledTransaction) -> None:
        old_hash, old = next(
            ((h, p) for h, p in self.ready.items() if p.sender == pooled.sender and p.tx.nonce == pooled.tx.nonce),
            (None, None),
        )
        if old is None:
            raise rejected("nonce too low")
        if not _outbids(pooled.tx, old.tx):
            raise rejected("replacement transaction underpriced")
        # Keep the replaced transaction's place so the sender's nonces stay in order.
        self.ready = {(pooled.tx.hash if h == old_hash else h): (pooled if h == old_hash else p)
                      for h, p in self.ready.items()}

    def _add_future(self, pooled: PooledTransaction, pending_nonce: int) -> None:
        key = (pooled.sender, pooled.tx.nonce)
        if pooled.tx.nonce - pending_nonce > MAX_FUTURE_PER_SENDER:
            raise rejected(f"nonce too high: tx nonce {pooled.tx.nonce}, next nonce {pending_nonce}")
        old = self.future.get(key)
        if old is not None and not _outbids(pooled.tx, old.tx):
            raise rejected("replacement transaction underpriced")
        self.future[key] = pooled

    def _promote(self, sender: bytes, nonce: int) -> None:
        while (sender, nonce) in self.future:
            pooled = self.future.pop((sender, nonce))
            self.ready[pooled.tx.hash] = pooled
            nonce += 1


def _outbids(new, old) -> bool:
    bump = 100 + REPLACEMENT_BUMP_PERCENT
    return (new.max_fee_per_gas * 100 >= old.max_fee_per_gas * bump
            and new.max_priority_fee_per_gas * 100 >= old.max_priority_fee_per_gas * bump)
