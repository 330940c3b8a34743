"""Follows the dev network's events with `eth_getLogs` and measures each request's latency.

Events: `Requested` and `Fulfilled` (Cloister), `Answered` (the example consumer). A request's
latency is the wall time from its request transaction's receipt (`note_sent`) to the first poll
that saw its `Fulfilled` event. Each event also keeps its transaction and when a poll first saw it
(the latency benchmark measures from the poll that saw the `Requested` event's block).
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from cloister_chain import Contract, abi_type
from eth_utils import keccak

from .chain import Chain
from .deployment import Deployment

MAX_FAILURES = 50  # polls in a row (5 s at the default interval)


def topic(contract: Contract, event: str) -> str:
    item = next(e for e in contract.abi if e.get("type") == "event" and e["name"] == event)
    return "0x" + keccak(text=f"{event}({','.join(abi_type(i) for i in item['inputs'])})").hex()


@dataclass(frozen=True)
class Fulfilment:
    """A `Fulfilled` event: what settlement needs (commitment, block, time) and what the summary counts."""

    node: int
    status: int
    commitment: bytes
    fulfilled_at: int
    block: int
    callback_ok: bool
    output: bytes
    seen_at: float  # time.monotonic() of the poll that saw it
    tx_hash: str = ""  # the fulfilling transaction
    params_version: int = 1  # the parameter set the result is judged under


class Observer:
    """Collects events from the deployment block (or `from_block`) on; `start()` polls in a thread, `poll()` once
    in the caller's."""

    def __init__(self, chain: Chain, deployment: Deployment, interval: float = 0.1, from_block: int | None = None):
        self.chain = chain
        self.core = deployment.core
        self.consumer = deployment.consumer
        self.interval = interval
        self.requested: dict[bytes, dict] = {}  # id -> Requested fields, with "block", "tx" and "seen_at"
        self.fulfilled: dict[bytes, list[Fulfilment]] = {}
        self.answered: dict[bytes, list[int]] = {}  # id -> statuses the consumer's callback recorded
        self.receipt_at: dict[bytes, float] = {}
        self._next_block = deployment.block if from_block is None else from_block
        self._topics = [[topic(self.core, "Requested"), topic(self.core, "Fulfilled"),
                         topic(self.consumer, "Answered")]]
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.error: Exception | None = None  # why polling stopped, if it gave up

    def note_sent(self, request_id: bytes, receipt_at: float) -> None:
        with self._lock:
            self.receipt_at[request_id] = receipt_at

    def poll(self) -> None:
        """Reads the logs of the blocks mined since the last poll."""
        head = self.chain.block_number()
        if head < self._next_block:
            return
        logs = self.chain.rpc.call("eth_getLogs", {"address": [self.core.address, self.consumer.address],
                                                   "fromBlock": hex(self._next_block), "toBlock": hex(head),
                                                   "topics": self._topics})
        seen_at = time.monotonic()
        with self._lock:
            for log in logs:
                self._record(log, seen_at)
        self._next_block = head + 1

    def _record(self, log: dict, seen_at: float) -> None:
        contract = self.core if log["address"].lower() == self.core.address.lower() else self.consumer
        for name, fields in contract.events({"logs": [log]}):
            block = int(log["blockNumber"], 16)
            if name == "Requested":
                self.requested[fields["id"]] = dict(fields, block=block, tx=log["transactionHash"], seen_at=seen_at)
            elif name == "Fulfilled":
                self.fulfilled.setdefault(fields["id"], []).append(Fulfilment(
                    fields["node"], fields["status"], fields["outputCommitment"], fields["fulfilledAt"], block,
                    fields["callbackOk"], fields["output"], seen_at, log["transactionHash"], fields["paramsVersion"]))
            elif name == "Answered":
                self.answered.setdefault(fields["id"], []).append(fields["status"])

    def start(self) -> Observer:
        self._thread = threading.Thread(target=self._run, name="observer", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        failures = 0
        while not self._stop.wait(self.interval):
            try:
                self.poll()
                failures = 0
            except Exception as error:  # a later poll may succeed; after MAX_FAILURES in a row, give up
                failures += 1
                if failures >= MAX_FAILURES:
                    self.error = error
                    return

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> Observer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def first_fulfilment(self, request_id: bytes) -> Fulfilment | None:
        with self._lock:
            found = self.fulfilled.get(request_id)
            return found[0] if found else None

    def requests_of(self, tx_hashes: set[str]) -> list[bytes]:
        """Ids of the requests whose `Requested` event one of these transactions emitted, in the order seen."""
        with self._lock:
            return [i for i, fields in self.requested.items() if fields["tx"] in tx_hashes]

    def fulfilled_count(self, ids: list[bytes]) -> int:
        with self._lock:
            return sum(1 for i in ids if i in self.fulfilled)

    def latencies_ms(self, ids: list[bytes]) -> list[float]:
        """Receipt-to-Fulfilled wall time of each fulfilled request among `ids`."""
        with self._lock:
            return [max(0.0, self.fulfilled[i][0].seen_at - self.receipt_at[i]) * 1000
                    for i in ids if i in self.fulfilled and i in self.receipt_at]
