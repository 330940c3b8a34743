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
                progress: Callable[[int, int], None] | None = None, every: float = 3.0) -> Run:
    """Sends `plans` (`interval` s apart) and waits until each has a `Fulfilled` event, at most `timeout`
    seconds after the last was sent; `progress(sent, fulfilled)` is called every `every` seconds."""
    observer = Observer(network.chain, network.deployment).start()
    traffic = TrafficThread(Sender(network.chain, network.deployment), plans,
                            lambda sent: observer.note_sent(sent.id, sent.receipt_at), interval)
    traffic.start()
    wait_until = None
    next_report = time.monotonic() + every
    try:
        while True:
            ids = [s.id for s in traffic.sent]
            if observer.error is not None:
                raise DevnetError(f"observer: cannot read the chain's logs: {observer.error}")
            if not traffic.is_alive():
                traffic.join()  # raises what stopped the traffic
                if observer.fulfilled_count(ids) == len(ids):
                    complete = True
                    break
                wait_until = wait_until or time.monotonic() + timeout
                if time.monotonic() > wait_until:
                    complete = False
                    break
            if progress and time.monotonic() >= next_report:
                progress(len(ids), observer.fulfilled_count(ids))
                next_report += every
            time.sleep(0.1)
    finally:
        traffic.stopping.set()
        observer.stop()
    observer.poll()  # what was mined since the thread's last poll (callbacks of the last fulfilments)
    return Run(list(traffic.sent), observer, complete)
