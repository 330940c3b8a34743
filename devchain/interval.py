"""Interval mining: a block every N seconds with what the pool holds, as a real chain's sequencer does.

The miner is a thread that seals under the dispatcher's lock, so a block never lands in the middle of
a JSON-RPC call. Ticks follow a fixed grid from the moment the interval was set (an `evm_mine` in
between does not move it); a tick that comes later than a whole interval (the lock was held that
long) starts a new grid instead of sealing a catch-up burst.
"""

import logging
import threading
import time

log = logging.getLogger("devchain")

MAX_BLOCK_TIME = 86_400


class IntervalMiner:
    """Owns the interval (`block_time`, None when off); `set` must be called with the dispatcher's lock held."""

    def __init__(self, chain, lock: threading.Lock):
        self.chain = chain
        self.lock = lock
        self.block_time: int | None = None
        self._due: float | None = None  # time.monotonic() of the next seal
        self._condition = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopping = False

    def set(self, block_time: int | None) -> None:
        """Starts sealing every `block_time` seconds from now (None stops); the chain's automine goes off."""
        if block_time is not None:
            self.chain.automine = False
        with self._condition:
            self.block_time = block_time
            self._due = time.monotonic() + block_time if block_time else None
            self._condition.notify()
        if block_time and self._thread is None:
            self._thread = threading.Thread(target=self._run, name="interval miner", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        with self._condition:
            self._stopping = True
            self._condition.notify()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        while self._wait_until_due():
            with self.lock:  # `set` holds this lock, so the interval cannot change below
                with self._condition:
                    block_time, due = self.block_time, self._due
                    if block_time is None or due is None or due > time.monotonic():
                        continue  # changed while this thread waited for the lock
                    following = due + block_time
                    self._due = following if following > time.monotonic() else time.monotonic() + block_time
                try:
                    self.chain.seal_interval_block(block_time)
                except Exception:  # a bug must cost one block, never the miner
                    log.exception("interval miner: sealing a block failed")

    def _wait_until_due(self) -> bool:
        """Blocks until a seal is due; False once stopping."""
        with self._condition:
            while not self._stopping:
                if self._due is None:
                    self._condition.wait()
                    continue
                remaining = self._due - time.monotonic()
                if remaining <= 0:
                    return True
                self._condition.wait(remaining)
            return False
