"""Block timestamps: wall-clock time shifted by evm_increaseTime and evm_setNextBlockTimestamp."""

import time
from dataclasses import dataclass


@dataclass
class BlockClock:
    """Chooses each new block's timestamp; a snapshot copies it with `dataclasses.replace`."""

    offset: int = 0
    next_timestamp: int | None = None

    def increase(self, seconds: int) -> int:
        self.offset += seconds
        return self.offset

    def timestamp_for_next_block(self, parent_timestamp: int, requested: int | None = None) -> int:
        """The next block's timestamp; a requested or scheduled one also moves the clock there.

        Blocks keep strictly increasing timestamps, as py-evm's header validation requires.
        """
        now = int(time.time())
        chosen = requested if requested is not None else self.next_timestamp
        self.next_timestamp = None
        if chosen is None:
            return max(now + self.offset, parent_timestamp + 1)
        chosen = max(chosen, parent_timestamp + 1)
        self.offset = chosen - now
        return chosen
