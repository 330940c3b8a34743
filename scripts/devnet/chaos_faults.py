"""The chaos campaign's faults: a lagging-backend proxy in front of each node, reorgs, and kill -9.

Everything is decided up front from the seed (`Schedule.of`): which request each fault waits for, each
reorg's depth and whether its orphaned transactions are put back, which node each kill hits. The faults
are then fired by two threads as the traffic reaches those points, so a slower machine shifts them in
time but not in order.
"""
from __future__ import annotations

import http.client
import json
import random
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import ROOT, DevnetError
from .chain import Chain
from .nodes import Node
from .processes import Child

PROXY = ROOT / "scripts" / "rpc_fault_proxy.py"
PROXY_READY = r"rpc_fault_proxy: listening on (http://\S+)"
LAGGING_KINDS = ("empty_logs", "null_block", "stale_head", "estimate_fail")
LAG_BLOCKS = 3  # how far behind the lagging backend is
REORG_GAP = 1.5  # seconds at least between two reorgs, so that the nodes act on the branch in between
RESTART_PAUSE = 1.0  # seconds a killed node stays down
RESTARTS_WITH_FAULTS = 3  # attempts to start a killed node while its endpoint lies, before healing it for the start


class FaultProxy:
    """scripts/rpc_fault_proxy.py with the lagging-backend kinds, in front of the chain for one node.
    It starts at rate 0 (a node that meets lies at launch refuses to start) and is switched with `set_rate`."""

    def __init__(self, chain: Chain, index: int, seed: int, folder: Path):
        self.child = Child(f"fault proxy {index}", [
            sys.executable, PROXY, "--upstream", chain.url, "--port", 0, "--fault-rate", 0, "--seed", seed,
            "--faults", ",".join(LAGGING_KINDS), "--lag-blocks", LAG_BLOCKS], folder / f"fault-proxy-{index}.log",
            ready=PROXY_READY)
        self.url: str | None = None

    def __enter__(self) -> FaultProxy:
        self.url = self.child.start(timeout=30).group(1)
        return self

    def __exit__(self, *exc) -> None:
        self.child.stop()

    def _request(self, method: str, path: str, body: dict | None = None) -> dict:
        parts = urllib.parse.urlsplit(self.url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        try:
            payload = json.dumps(body) if body is not None else None
            connection.request(method, path, payload, {"Content-Type": "application/json"})
            response = connection.getresponse()
            answer = json.loads(response.read())
            if response.status != 200:
                raise DevnetError(f"{self.child.name}: {method} {path} answered {response.status}: {answer}")
            return answer
        finally:
            connection.close()

    def set_rate(self, rate: float) -> dict:
        return self._request("POST", "/control", {"fault_rate": rate})

    def stats(self) -> dict:
        return self._request("GET", "/stats")


@dataclass(frozen=True)
class ReorgPlan:
    after_request: int  # fired once this many requests were sent
    depth: int
    reinject: bool


@dataclass(frozen=True)
class KillPlan:
    after_request: int
    node: int  # index into the network's nodes


@dataclass(frozen=True)
class Schedule:
    reorgs: list[ReorgPlan]
    kills: list[KillPlan]

    @classmethod
    def of(cls, seed: int, requests: int, reorgs: int, max_depth: int, kills: int, nodes: int) -> Schedule:
        """Seeded: reorg depths within 1..max_depth with max_depth among them, re-injection alternating (so
        both kinds happen from two reorgs on), positions spread over the traffic's first nine tenths."""
        rng = random.Random(seed)
        last = max(1, requests * 9 // 10)

        def positions(count: int) -> list[int]:
            return sorted(rng.randint(1, last) for _ in range(count))

        depths = [rng.randint(1, max_depth) for _ in range(reorgs)]
        if depths:
            depths[rng.randrange(reorgs)] = max_depth
        first_reinjects = rng.random() < 0.5
        reorg_plans = [ReorgPlan(p, d, (i % 2 == 0) == first_reinjects)
                       for i, (p, d) in enumerate(zip(positions(reorgs), depths))]
        kill_plans = [KillPlan(p, rng.randrange(nodes)) for p in positions(kills)]
        return cls(reorg_plans, kill_plans)


@dataclass
class FaultLog:
    """What was actually done, for the summary line and the report."""

    reorgs: list[dict] = field(default_factory=list)  # devchain_reorg's answers, with "depth" and "reinject"
    kills: list[tuple[int, float]] = field(default_factory=list)  # (node index, seconds until ready again)
    healed_starts: list[int] = field(default_factory=list)  # node indexes that started only with faults off
    refused_starts: list[tuple[int, str]] = field(default_factory=list)  # (node index, why it exited at start)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class FaultThread(threading.Thread):
    """Fires `plans` in order, each once `sent()` reaches its position (or once the traffic is over)."""

    def __init__(self, name: str, plans: list, sent: Callable[[], int], traffic_done: threading.Event,
                 fire: Callable[[object], None], log: FaultLog, gap: float = 0.0):
        super().__init__(name=name, daemon=True)
        self.plans, self.sent, self.traffic_done, self.fire, self.log, self.gap = plans, sent, traffic_done, fire, log, gap
        self.stopping = threading.Event()

    def run(self) -> None:
        last = 0.0
        for plan in self.plans:
            while self.sent() < plan.after_request and not self.traffic_done.is_set():
                if self.stopping.wait(0.1):
                    return
            wait = last + self.gap - time.monotonic()
            if wait > 0 and self.stopping.wait(wait):
                return
            try:
                self.fire(plan)
            except Exception as error:  # reported as a failed check, never silently
                with self.log.lock:
                    self.log.errors.append(f"{self.name}: {plan}: {error}")
            last = time.monotonic()


def reorg(chain: Chain, plan: ReorgPlan, log: FaultLog, say: Callable[[str], None]) -> None:
    done = chain.rpc.call("devchain_reorg", {"depth": plan.depth, "reinject": plan.reinject})
    with log.lock:
        log.reorgs.append(dict(done, depth=plan.depth, reinject=plan.reinject))
    fate = (f"{len(done['reinjected'])} put back" if plan.reinject else f"{len(done['dropped'])} dropped")
    say(f"reorg of depth {plan.depth} at block {int(done['forkPoint'], 16) + plan.depth}: "
        f"{len(done['orphanedTransactions'])} orphaned transactions, {fate}")


def kill_and_restart(node: Node, proxy: FaultProxy, rate: float, log: FaultLog, say: Callable[[str], None]) -> None:
    """kill -9, a pause, then start again; a node that exits at start while its endpoint lies (it fails
    closed) is started again, and after RESTARTS_WITH_FAULTS attempts with its endpoint healed meanwhile."""
    node.kill()
    killed = time.monotonic()
    time.sleep(RESTART_PAUSE)
    for attempt in range(1, RESTARTS_WITH_FAULTS + 1):
        try:
            node.start(standing=False)  # its standing may be read through the lying endpoint
            break
        except DevnetError as error:
            reason = str(error).splitlines()[-1]
            with log.lock:
                log.refused_starts.append((node.index, reason))
            say(f"node {node.index}: start {attempt} after kill -9 failed: {reason}")
    else:
        proxy.set_rate(0)
        try:
            node.start(standing=False)
        finally:
            proxy.set_rate(rate)
        with log.lock:
            log.healed_starts.append(node.index)
    with log.lock:
        log.kills.append((node.index, time.monotonic() - killed))
    say(f"node {node.index}: kill -9, ready again after {time.monotonic() - killed:.1f} s")
