"""A run of requests against a running network: send them while observing, then wait for every result."""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from . import DevnetError
from .network import Network
from .observer import Observer
from .traffic import Planned, Sender, Sent, TrafficThread


@dataclass
class Run:
    sent: list[Sent]
    observer: Observer  # stopped; holds every event up to the end of the run
    complete: bool  # every sent request had a Fulfilled event before the timeout

    @property
    def ids(self) -> list[bytes]:
        return [s.id for s in self.sent]


def run_traffic(network: Network, plans: list[Planned], timeout: float = 300.0, interval: float = 0.0,
                progress: Callable[[int, int], None] | None = None, every: float = 3.0,
                stall: float | None = None, before_send: Callable[[int], None] | None = None) -> Run:
    """Sends `plans` (`interval` s apart) and waits until each has a `Fulfilled` event: at most `timeout`
    seconds after the last was sent, and, with `stall`, at most `stall` seconds without a new result.
    `progress(sent, fulfilled)` is called every `every` seconds; `before_send(number)` runs before each request
    is sent (see `TrafficThread`)."""
    observer = Observer(network.chain, network.deployment).start()
    traffic = TrafficThread(Sender(network.chain, network.deployment), plans,
                            lambda sent: observer.note_sent(sent.id, sent.receipt_at), interval,
                            before_send)
    traffic.start()
    wait_until = None
    next_report = time.monotonic() + every
    results, last_result = 0, time.monotonic()
    try:
        while True:
            sending = traffic.is_alive()  # before reading `sent`, so that a finished traffic's list is whole
            ids = [s.id for s in traffic.sent]
            if observer.error is not None:
                raise DevnetError(f"observer: cannot read the chain's logs: {observer.error}")
            if observer.fulfilled_count(ids) > results:
                results, last_result = observer.fulfilled_count(ids), time.monotonic()
            if not sending:
                traffic.join()  # raises what stopped the traffic
                wait_until = wait_until or time.monotonic() + timeout
                now = time.monotonic()
                complete = results == len(ids)
                if complete or now > wait_until or (stall is not None and now - last_result > stall):
                    break
            if progress and time.monotonic() >= next_report:
                progress(len(ids), results)
                next_report += every
            time.sleep(0.1)
    finally:
        traffic.stopping.set()
        observer.stop()
    observer.poll()  # what was mined since the thread's last poll (callbacks of the last fulfilments)
    return Run(list(traffic.sent), observer, complete)
