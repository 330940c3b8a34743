"""The numbers a run ends with: counts of requests by outcome and latency percentiles."""
from __future__ import annotations

import math
from dataclasses import dataclass

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

    @classmethod
    def of(cls, sent: list[Sent], observer: Observer, settled: int, confirmations: int) -> Summary:
        ids = [s.id for s in sent]
        firsts = [observer.first_fulfilment(i) for i in ids]
        ok = sum(1 for f in firsts if f is not None and f.status == 0)
        errors = sum(1 for f in firsts if f is not None and f.status != 0)
        return cls(len(ids), ok, errors, len(ids) - ok - errors, settled, observer.latencies_ms(ids), confirmations)

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
        return [counts, f"{latency} ({len(self.latencies_ms)} requests, confirmations {self.confirmations})"]
