"""The numbers a run ends with: counts of requests by outcome and latency percentiles."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from .observer import Observer
from .traffic import Sent


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (the smallest value with at least `fraction` of the values at or below it)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


@dataclass(frozen=True)
class Summary:
    requested: int
    fulfilled: int  # status-0 results
    errors: int  # error results (status != 0)
    unfulfilled: int
    settled: int
    latencies_ms: list[float]
    confirmations: int
    blocks_after: list[int] = field(default_factory=list)  # per fulfilled request: its result's block - its request's
    block_time: int | None = None  # seconds between blocks when the chain mined on an interval

    @classmethod
    def of(cls, sent: list[Sent], observer: Observer, settled: int, confirmations: int,
           block_time: int | None = None) -> Summary:
        ids = [s.id for s in sent]
        firsts = [observer.first_fulfilment(i) for i in ids]
        ok = sum(1 for f in firsts if f is not None and f.status == 0)
        errors = sum(1 for f in firsts if f is not None and f.status != 0)
        blocks_after = [f.block - s.block for s, f in zip(sent, firsts) if f is not None]
        return cls(len(ids), ok, errors, len(ids) - ok - errors, settled, observer.latencies_ms(ids), confirmations,
                   blocks_after, block_time)

    @property
    def next_block_percent(self) -> float:
        """The share of the requests fulfilled in the first block after theirs (plus confirmations)."""
        on_time = sum(1 for k in self.blocks_after if k <= 1 + self.confirmations)
        return 100.0 * on_time / self.requested if self.requested else 0.0

    @property
    def failed(self) -> int:
        return self.errors + self.unfulfilled

    def lines(self) -> list[str]:
        counts = (f"demo: {self.requested} requested, {self.fulfilled} fulfilled, {self.settled} settled, "
                  f"{self.failed} failed")
        if self.latencies_ms:
            p50, p95, top = (percentile(self.latencies_ms, 0.5), percentile(self.latencies_ms, 0.95),
                             max(self.latencies_ms))
            latency = f"latency: p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {top:.0f} ms"
        else:
            latency = "latency: p50 - ms, p95 - ms, max - ms"
        latency += f" ({len(self.latencies_ms)} requests, confirmations {self.confirmations})"
        if self.block_time:
            latency += f"; next block {self.next_block_percent:.1f}% at {self.block_time} s blocks"
        return [counts, latency]
