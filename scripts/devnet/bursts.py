"""Bursts of requests at a fixed block time, measured in blocks from the chain (`scripts/latency.py`).

A burst's transactions are signed beforehand (consecutive nonces per sender) and sent in one JSON-RPC
batch, so they reach the pool together and the chain seals them in its next block (or the one after,
when a seal falls inside the batch). For each request:

- R, the block of its `Requested` event, and F, the block of its first `Fulfilled` event: it was answered
  in the next block if F <= R + 1 + confirmations, and within 2 blocks if F <= R + 2 + confirmations;
- its latency: the wall time from the poll that first saw block R (the request's receipt became
  available then) to the poll that first saw its `Fulfilled` event, both polled every POLL_SECONDS;
- the node's answer time: from the poll that saw block R to the poll that first saw the fulfilling
  transaction waiting in the pool, i.e. what the node took, its own polling included (unknown when the
  transaction was sent and sealed between two polls).
"""
from __future__ import annotations

import math
import threading
import time
from collections import Counter
from dataclasses import dataclass

from devchain.client import RPCClient

from . import DevnetError
from .chain import Chain
from .network import Network
from .observer import Observer
from .summary import percentile
from .traffic import Sender, plan

POLL_SECONDS = 0.05
GOAL_BLOCK_TIME = 2  # issue 19's goals are stated at 2 s blocks (Base, OP)
GOAL_NEXT_BLOCK_PERCENT = 95.0  # for bursts up to GOAL_SMALL_BURST
GOAL_SMALL_BURST = 40
GOAL_LARGE_BURST = 200  # every request within 2 blocks


@dataclass(frozen=True)
class Case:
    block_time: int  # seconds
    burst: int  # requests sent together
    repeats: int  # bursts, one after the other once the previous one is answered


def default_repeats(block_time: int, burst: int) -> int:
    """Enough bursts for about 40 requests, at most 10, and no more than about 75 s of blocks (a burst takes
    two blocks at least: the request's and the fulfilment's): 10/4/1/1 at 2 s, 3/3/1/1 at 12 s."""
    return max(1, min(10, math.ceil(40 / burst), 75 // (2 * block_time)))


@dataclass(frozen=True)
class Measured:
    """One request of a burst."""

    requested_block: int
    fulfilled_block: int | None  # None: not fulfilled within the wait
    latency_ms: float | None
    answer_ms: float | None
    fulfil_tx: str | None


def format_percent(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def format_ms(values: list[float], fraction: float | None) -> str:
    if not values:
        return "-"
    return f"{(max(values) if fraction is None else percentile(values, fraction)):.0f}"


@dataclass
class CaseResult:
    case: Case
    confirmations: int
    requests: list[Measured]

    def share(self, blocks: int) -> float:
        """Percent of the requests fulfilled at most `blocks` (plus the confirmations) after their request's block."""
        limit = blocks + self.confirmations
        done = sum(1 for m in self.requests
                   if m.fulfilled_block is not None and m.fulfilled_block - m.requested_block <= limit)
        return 100.0 * done / len(self.requests)

    @property
    def unfulfilled(self) -> int:
        return sum(1 for m in self.requests if m.fulfilled_block is None)

    def line(self) -> str:
        """The case's line, in issue 19's form."""
        latencies = [m.latency_ms for m in self.requests if m.latency_ms is not None]
        return (f"latency: block {self.case.block_time} s, burst {self.case.burst}: "
                f"{format_percent(self.share(1))}% next block, p50 {format_ms(latencies, 0.5)} ms, "
                f"p95 {format_ms(latencies, 0.95)} ms, within 2 blocks {format_percent(self.share(2))}%, "
                f"max {format_ms(latencies, None)} ms")

    def detail(self) -> str:
        """How the blocks and the node's answers spread: what explains the line."""
        spread = Counter(m.fulfilled_block - m.requested_block for m in self.requests if m.fulfilled_block is not None)
        blocks = ", ".join(f"{gap}: {count}" for gap, count in sorted(spread.items()))
        answers = [m.answer_ms for m in self.requests if m.answer_ms is not None]
        per_tx = Counter(m.fulfil_tx for m in self.requests if m.fulfil_tx is not None)
        unseen = sum(1 for m in self.requests if m.fulfil_tx is not None and m.answer_ms is None)
        text = (f"{len(self.requests)} requests in {self.case.repeats} burst(s); fulfilled k blocks after the "
                f"request's block, k: count = {{{blocks}}}; node answer (request block seen -> fulfilment in the "
                f"pool) p50 {format_ms(answers, 0.5)} ms, max {format_ms(answers, None)} ms"
                + (f" ({unseen} not seen in the pool)" if unseen else "")
                + f"; {len(per_tx)} fulfilment transactions, up to {max(per_tx.values(), default=0)} results each")
        return text + (f"; {self.unfulfilled} NOT fulfilled" if self.unfulfilled else "")


def goal_lines(results: list[CaseResult]) -> tuple[list[str], bool]:
    """Issue 19's two goals at 2 s blocks, judged from the cases that were run; (lines, every goal met)."""
    at_goal = [r for r in results if r.case.block_time == GOAL_BLOCK_TIME]
    small = [r for r in at_goal if r.case.burst <= GOAL_SMALL_BURST]
    large = [r for r in at_goal if r.case.burst == GOAL_LARGE_BURST]
    lines, met = [], True
    if small:
        worst = min(small, key=lambda r: r.share(1))
        ok = worst.share(1) >= GOAL_NEXT_BLOCK_PERCENT
        met &= ok
        lines.append(f"goal: >= {GOAL_NEXT_BLOCK_PERCENT:.0f}% next block for bursts up to {GOAL_SMALL_BURST} at "
                     f"{GOAL_BLOCK_TIME} s blocks: {'met' if ok else 'NOT met'} (lowest: burst {worst.case.burst}, "
                     f"{format_percent(worst.share(1))}%)")
    else:
        lines.append(f"goal: next block for bursts up to {GOAL_SMALL_BURST} at {GOAL_BLOCK_TIME} s blocks: not measured")
    if large:
        share = min(r.share(2) for r in large)
        ok = share == 100.0
        met &= ok
        lines.append(f"goal: every request of a {GOAL_LARGE_BURST}-burst within 2 blocks at {GOAL_BLOCK_TIME} s "
                     f"blocks: {'met' if ok else 'NOT met'} ({format_percent(share)}%)")
    else:
        lines.append(f"goal: a {GOAL_LARGE_BURST}-burst at {GOAL_BLOCK_TIME} s blocks: not measured")
        met = False
    return lines, met and bool(small)


class PoolWatcher:
    """Notes when each transaction was first seen waiting in the pool (the `pending` block), every POLL_SECONDS."""

    def __init__(self, chain: Chain):
        self.chain = chain
        self.first_seen: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pool watcher", daemon=True)

    def start(self) -> PoolWatcher:
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(POLL_SECONDS):
            try:
                pending = self.chain.pending_transactions()
            except Exception:  # a slow, refused or failed poll: the next one catches up
                continue
            now = time.monotonic()
            for tx_hash in pending:
                self.first_seen.setdefault(tx_hash, now)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def send_burst(chain: Chain, raws: list[str]) -> list[str]:
    """Sends the signed transactions in one JSON-RPC batch; returns their hashes."""
    client = RPCClient(chain.url)
    try:
        responses = client.batch([("eth_sendRawTransaction", [raw]) for raw in raws])
    except OSError as error:
        raise DevnetError(f"burst: sending {len(raws)} requests failed: {error}") from error
    finally:
        client.close()
    refused = [r["error"]["message"] for r in responses if "error" in r]
    if refused:
        raise DevnetError(f"burst: the chain refused {len(refused)} of {len(raws)} requests, e.g. {refused[0]}")
    return [r["result"] for r in responses]


class Bench:
    """Runs cases on a running network; a burst's results are awaited up to `wait_blocks` after its requests."""

    def __init__(self, net: Network, wait_blocks: int = 20):
        self.net = net
        self.chain = net.chain
        self.sender = Sender(net.chain, net.deployment)
        self.wait_blocks = wait_blocks
        self._bursts = 0

    def run(self, case: Case) -> CaseResult:
        """Every burst of the case at its block time (the chain is switched to it first)."""
        self.chain.set_block_time(case.block_time)
        observer = Observer(self.chain, self.net.deployment, POLL_SECONDS, from_block=self.chain.block_number() + 1)
        pool = PoolWatcher(self.chain)
        observer.start()
        pool.start()
        measured: list[Measured] = []
        try:
            for _ in range(case.repeats):
                self._await_quiet(case.block_time)
                ids = self._burst(case, observer)
                measured += [self._measure(observer, pool, i) for i in ids]
        finally:
            observer.stop()
            pool.stop()
        return CaseResult(case, self.net.confirmations, measured)

    def _burst(self, case: Case, observer: Observer) -> list[bytes]:
        self._bursts += 1
        raws = self.sender.sign_burst(plan(case.burst, malformed=0, seed=self._bursts))
        hashes = send_burst(self.chain, raws)
        ids = self._await_requests(observer, hashes, case.block_time)
        last_block = max(observer.requested[i]["block"] for i in ids)
        until = last_block + self.wait_blocks + self.net.confirmations
        while observer.fulfilled_count(ids) < len(ids) and self.chain.block_number() <= until:
            self._check(observer)
            time.sleep(POLL_SECONDS)
        time.sleep(2 * POLL_SECONDS)  # the observer's poll after the last seal
        return ids

    def _await_requests(self, observer: Observer, hashes: list[str], block_time: int) -> list[bytes]:
        """The burst's request ids, once every transaction's `Requested` event is on the chain."""
        deadline = time.monotonic() + 5 * block_time + 30
        while len(ids := observer.requests_of(set(hashes))) < len(hashes):
            self._check(observer)
            if time.monotonic() > deadline:
                seen = {observer.requested[i]["tx"] for i in ids}
                missing = [h for h in hashes if h not in seen]
                receipt = self.chain.rpc.call("eth_getTransactionReceipt", missing[0])
                state = "still in the pool" if receipt is None else f"status {receipt['status']}"
                raise DevnetError(f"burst: {len(missing)} of {len(hashes)} requests have no Requested event "
                                  f"after {5 * block_time + 30} s (first: {missing[0]}, {state})")
            time.sleep(POLL_SECONDS)
        return ids

    def _await_quiet(self, block_time: int) -> None:
        """Waits (up to 3 blocks) until the pool is empty: the nodes sent what the last burst asked of them."""
        deadline = time.monotonic() + 3 * block_time
        while self.chain.pending_transactions() and time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)

    @staticmethod
    def _check(observer: Observer) -> None:
        if observer.error is not None:
            raise DevnetError(f"observer: cannot read the chain's logs: {observer.error}")

    @staticmethod
    def _measure(observer: Observer, pool: PoolWatcher, request_id: bytes) -> Measured:
        requested = observer.requested[request_id]
        first = observer.first_fulfilment(request_id)
        if first is None:
            return Measured(requested["block"], None, None, None, None)
        pooled = pool.first_seen.get(first.tx_hash)
        answer = max(0.0, pooled - requested["seen_at"]) * 1000 if pooled is not None else None
        return Measured(requested["block"], first.block, max(0.0, first.seen_at - requested["seen_at"]) * 1000,
                        answer, first.tx_hash)
