"""Block timestamps: wall-clock time shifted by evm_increaseTime and evm_setNextBlockTimestamp."""

import time
from dataclasses import dataclass


@dataclass
class BlockClock:
    """Chooses each new block's timestamp; a snapshot copies it with `dataclasses.replace`."""

    offset: int = 0
    next_timestamp: int | None = None
    jump: int = 0  # seconds evm_increaseTime added since the last block (an interval block adds them to its step)

    def increase(self, seconds: int, latest_timestamp: int) -> int:
        """Moves time forward so the next block is at least `seconds` after the latest one.

        Blocks mined faster than one per second run ahead of the wall clock (timestamps must
        increase), so the offset first catches up with the latest block. Returns the new offset.
        """
        self.offset = max(self.offset, latest_timestamp - int(time.time())) + seconds
        self.jump += seconds
        return self.offset

    def peek(self, parent_timestamp: int) -> int:
        """What the next block's timestamp would be now, without consuming a scheduled one."""
        if self.next_timestamp is not None:
            return max(self.next_timestamp, parent_timestamp + 1)
        return max(int(time.time()) + self.offset, parent_timestamp + 1)

    def after_interval(self, parent_timestamp: int, block_time: int) -> int:
        """An interval block's timestamp: `block_time` after its parent, plus any evm_increaseTime since;
        a scheduled evm_setNextBlockTimestamp wins. Exact steps, unlike the wall clock's whole seconds."""
        if self.next_timestamp is not None:
            return max(self.next_timestamp, parent_timestamp + 1)
        return parent_timestamp + block_time + self.jump

    def timestamp_for_next_block(self, parent_timestamp: int, requested: int | None = None) -> int:
        """The next block's timestamp; a requested or scheduled one also moves the clock there.

        Blocks keep strictly increasing timestamps, as py-evm's header validation requires.
        """
        now = int(time.time())
        chosen = requested if requested is not None else self.next_timestamp
        self.next_timestamp = None
        self.jump = 0
        if chosen is None:
            return max(now + self.offset, parent_timestamp + 1)
        chosen = max(chosen, parent_timestamp + 1)
        self.offset = chosen - now
        return chosen
