"""The failover campaign (`make failover`): one node as two processes sharing a PostgreSQL job store, the
leader killed with SIGKILL again and again under traffic, judged from the chain and the store.

1. PostgreSQL (scripts/test-postgres.sh) in a folder of its own under /tmp; the dev network (chain, contracts, committee);
   one registered node whose two processes, A and B, share its operator keystore, its sealed enclave key and
   the store (`store.kind = "postgres"`), each with its own API port. A leads; B stands by.
2. Traffic: a request every `interval` seconds. The leader (the process whose /readyz answers 200) is
   killed `kills` times; the takeover time is from the kill to the other process answering /readyz; the
   killed process is started again and waits, standing by, for the next kill. Then the leader is paused
   (SIGSTOP) `pauses` times until the other process took over, and resumed: it must find its lease lost
   and exit, its writes refused by the fencing epoch, before it is started again to stand by.
3. Quiescence: every request on the chain has a result and the operator has nothing in flight.
4. Verdict: every request fulfilled exactly once; the operator's mined transactions have distinct,
   consecutive nonces, each one a transaction the store recorded under that nonce (no process sent a
   nonce the store had given to another), and none reverted.
"""
from __future__ import annotations

import signal
import statistics
import subprocess
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from . import ROOT, DevnetError
from .accounts import make_wallet, operator_account
from .adversary_events import ChainEvents
from .binary import Cloister
from .chain import Chain
from .chaos_checks import operator_nonces
from .deployment import Deployment
from .network import SEED, dev_network, draws_in_force
from .nodes import Node
from .traffic import Sender, plan

TEST_POSTGRES = ROOT / "scripts" / "test-postgres.sh"


@dataclass
class Options:
    kills: int = 10
    pauses: int = 2  # leaders paused (SIGSTOP) past their lease, then resumed: they must stop, not write
    interval: float = 0.5  # seconds between two requests
    settle: float = 3.0  # seconds of traffic under a new leader before the next kill
    takeover_limit: float = 10.0  # seconds a takeover may take
    quiet: float = 30.0
    timeout: float = 240.0
    seed: int = 16


@dataclass
class Verdict:
    kills: int
    takeovers: list[float]
    requests: int
    fulfilled_once: int
    nonce_reused: int
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        p50 = statistics.median(self.takeovers) if self.takeovers else float("nan")
        worst = max(self.takeovers) if self.takeovers else float("nan")
        return (f"failover: {self.kills} leader kills, takeover p50 {p50:.1f} s max {worst:.1f} s, "
                f"{self.requests} requests, {self.fulfilled_once} fulfilled exactly once, {self.nonce_reused} nonce reused")


class Postgres:
    """A PostgreSQL server in `folder` for the campaign, stopped on exit."""

    def __init__(self, folder: Path):
        self.folder = folder

    def __enter__(self) -> str:
        done = subprocess.run([str(TEST_POSTGRES), "start", str(self.folder)], capture_output=True, text=True)
        if done.returncode != 0:
            raise DevnetError(f"PostgreSQL did not start: {done.stderr.strip()}")
        self.url = done.stdout.strip()
        return self.url

    def __exit__(self, *exc) -> None:
        subprocess.run([str(TEST_POSTGRES), "stop", str(self.folder)], capture_output=True)

    def query(self, sql: str) -> list[list[str]]:
        done = subprocess.run(["psql", self.url, "-AtF", "\t", "-c", sql], capture_output=True, text=True)
        if done.returncode != 0:
            raise DevnetError(f"psql: {done.stderr.strip()}")
        return [line.split("\t") for line in done.stdout.splitlines() if line]


class Traffic(threading.Thread):
    """A request every `interval` seconds until stopped."""

    def __init__(self, chain: Chain, deployment: Deployment, interval: float, seed: int):
        super().__init__(name="failover traffic", daemon=True)
        self.chain, self.sender, self.interval = chain, Sender(chain, deployment), interval
        self.plans = plan(10_000, malformed=0, seed=seed)
        self.sent = 0
        self.refused: list[str] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        for planned in self.plans:
            if self.stopping.is_set():
                return
            try:
                self.chain.rpc.call("eth_sendRawTransaction", self.sender.sign(planned))
                self.sent += 1
            except Exception as error:
                self.refused.append(str(error))
            time.sleep(self.interval)


def standing_by(node: Node, seen: int) -> bool:
    """Whether the process's log has more 'standing by' lines than `seen`."""
    try:
        return node.child.log_path.read_text(errors="replace").count("standing by") > seen
    except FileNotFoundError:
        return False


def restart_to_stand_by(node: Node, stood_by: int, what: str) -> None:
    """Starts a stopped process again and waits until it logs that it stands by."""
    node.child.start()
    deadline = time.monotonic() + 60
    while not standing_by(node, stood_by):
        if not node.child.alive() or time.monotonic() > deadline:
            raise DevnetError(f"{what}: the restarted process did not stand by: {node.child.last_lines(5)}")
        time.sleep(0.2)


def run_failover(state_dir: Path, options: Options, say: Callable[[str], None]) -> Verdict:
    cloister = Cloister()
    with ExitStack() as stack:
        # Not in the state folder: the server runs as `nobody` when this runs as root, and must be let into
        # every folder above its own (pytest's and mkdtemp's folders are the owner's alone).
        postgres = Postgres(Path(tempfile.mkdtemp(prefix="cloister-pg-", dir="/tmp")))
        url = stack.enter_context(postgres)
        say(f"postgres: {url}")
        net = stack.enter_context(dev_network(state_dir, node_count=0, cloister=cloister, log=say))
        chain, deployment = net.chain, net.deployment
        home = state_dir / "node-0"
        wallet = make_wallet(cloister, home, "operator", operator_account(0))
        shared = {
            "enclave": {"tee": "simulated", "allow_simulated": True, "simulation_seed": SEED, "sealed_key": home / "enclave-key.sealed"},
        }
        processes = []
        for name in ("a", "b"):
            folder = state_dir / f"node-0{name}"
            folder.mkdir(parents=True, exist_ok=True)
            store = {"kind": "postgres", "url": url, "path": folder / "jobs.sqlite"}
            node = Node(0, cloister, chain, deployment.path, wallet, folder, SEED, confirmations=0,
                        tables={**shared, "store": store})
            stack.callback(node.stop)
            processes.append(node)
        a, b = processes
        a.register(net.committee.url)
        say(f"node: registered as node id {a.node_id} (operator {wallet.address}); processes A and B share its "
            f"keystore, enclave key and store")
        draws_in_force(chain, say)
        registration_nonces = chain.nonces(wallet.address)[0]  # sent by `node register`, not through the store
        a.start()
        say(f"A: leading, ready at {a.url} (log {a.child.log_path})")
        b.child.start()
        deadline = time.monotonic() + 60
        while not standing_by(b, 0):
            if not b.child.alive() or time.monotonic() > deadline:
                raise DevnetError(f"B did not stand by: {b.child.last_lines(5)}")
            time.sleep(0.2)
        say(f"B: standing by (log {b.child.log_path})")

        traffic = Traffic(chain, deployment, options.interval, options.seed)
        traffic.start()
        takeovers: list[float] = []
        failures: list[str] = []
        leader, standby = a, b
        for kill in range(1, options.kills + 1):
            time.sleep(options.settle)
            stood_by = leader.child.log_path.read_text(errors="replace").count("standing by")
            leader.kill()
            killed_at = time.monotonic()
            while not standby.ready():
                if not standby.child.alive():
                    raise DevnetError(f"the standby exited instead of taking over: {standby.child.last_lines(5)}")
                if time.monotonic() - killed_at > 60:
                    raise DevnetError(f"kill {kill}: no takeover within 60 s: {standby.child.last_lines(5)}")
                time.sleep(0.05)
            took = time.monotonic() - killed_at
            takeovers.append(took)
            if took > options.takeover_limit:
                failures.append(f"kill {kill}: the takeover took {took:.1f} s (limit {options.takeover_limit:.0f} s)")
            say(f"kill {kill}: leader killed; the other process took over in {took:.1f} s "
                f"({traffic.sent} requests sent so far)")
            restart_to_stand_by(leader, stood_by, f"kill {kill}")
            leader, standby = standby, leader
        notes: list[str] = []
        for pause in range(1, options.pauses + 1):
            time.sleep(options.settle)
            stood_by = leader.child.log_path.read_text(errors="replace").count("standing by")
            leader.child.process.send_signal(signal.SIGSTOP)
            paused_at = time.monotonic()
            while not standby.ready():
                if time.monotonic() - paused_at > 60:
                    leader.child.process.send_signal(signal.SIGCONT)
                    raise DevnetError(f"pause {pause}: no takeover within 60 s: {standby.child.last_lines(5)}")
                time.sleep(0.05)
            took = time.monotonic() - paused_at
            if took > options.takeover_limit:
                failures.append(f"pause {pause}: the takeover took {took:.1f} s (limit {options.takeover_limit:.0f} s)")
            leader.child.process.send_signal(signal.SIGCONT)
            try:
                status = leader.child.process.wait(20)
            except subprocess.TimeoutExpired:
                failures.append(f"pause {pause}: the resumed leader kept running 20 s after it lost its lease")
                leader.kill()
                status = None
            lost = "lost its lease" in leader.child.last_lines(40)
            if status is not None and not lost:
                failures.append(f"pause {pause}: the resumed leader exited ({status}) without saying it lost its lease: "
                                f"{leader.child.last_lines(5)}")
            say(f"pause {pause}: leader paused; the other process took over in {took:.1f} s; resumed, the old "
                f"leader exited with status {status}" + (" (lost its lease)" if lost else ""))
            notes.append(f"pause {pause}: takeover in {took:.1f} s; the resumed leader stopped (status {status})")
            restart_to_stand_by(leader, stood_by, f"pause {pause}")
            leader, standby = standby, leader
        traffic.stopping.set()
        traffic.join()
        say(f"traffic: {traffic.sent} requests sent" + (f", {len(traffic.refused)} refused" if traffic.refused else ""))

        started = moved = time.monotonic()
        last = None
        while True:
            events = ChainEvents(chain, deployment).poll()
            fulfilled = events.by_id("Fulfilled")
            unanswered = [e for e in events.named("Requested") if e.fields["id"] not in fulfilled]
            nonces = operator_nonces(chain, wallet.address)
            state = (len(unanswered), nonces.gap)
            if not unanswered and not nonces.gap:
                break
            if state != last:
                last, moved = state, time.monotonic()
            if time.monotonic() - moved > options.quiet or time.monotonic() - started > options.timeout:
                failures.append(f"quiescence: {len(unanswered)} requests without a result; {nonces.describe()}")
                break
            time.sleep(1.0)

        events = ChainEvents(chain, deployment).poll()
        requested = [e.fields["id"] for e in events.named("Requested")]
        per_request = Counter(e.fields["id"] for e in events.named("Fulfilled"))
        once = sum(1 for r in requested if per_request[r] == 1)
        if once != len(requested):
            failures.append(f"{len(requested) - once} of {len(requested)} requests not fulfilled exactly once")

        reused, nonce_notes = judge_nonces(chain, wallet.address, postgres, registration_nonces, failures)
        return Verdict(len(takeovers), takeovers, len(requested), once, reused, failures, notes + nonce_notes)


def judge_nonces(chain: Chain, operator: str, postgres: Postgres, first: int, failures: list[str]) -> tuple[int, list[str]]:
    """The operator's mined transactions from nonce `first` on (those before are registration's) against
    the store's record; returns (nonces reused, notes)."""
    recorded: dict[int, set[str]] = {}
    for nonce, digest in postgres.query("SELECT nonce, encode(hash, 'hex') FROM outgoing_tx_hash"):
        recorded.setdefault(int(nonce), set()).add("0x" + digest)
    mined: list[tuple[int, str, bool]] = []
    for number in range(chain.block_number() + 1):
        block = chain.rpc.call("eth_getBlockByNumber", hex(number), True)
        for tx in block["transactions"]:
            if tx["from"].lower() == operator.lower():
                receipt = chain.rpc.call("eth_getTransactionReceipt", tx["hash"])
                mined.append((int(tx["nonce"], 16), tx["hash"].lower(), int(receipt["status"], 16) == 1))
    nonces = sorted(n for n, _, _ in mined)
    reused = len(nonces) - len(set(nonces))
    unrecorded = [(n, h) for n, h, _ in mined if n >= first and h not in recorded.get(n, set())]
    reverted = [n for n, _, ok in mined if not ok]
    reused += len(unrecorded)
    if nonces != list(range(len(nonces))):
        failures.append(f"the operator's mined nonces are not 0..{len(nonces) - 1}")
    if unrecorded:
        failures.append(f"{len(unrecorded)} mined transactions the store did not record under their nonce: {unrecorded[:3]}")
    if reverted:
        failures.append(f"{len(reverted)} of the operator's transactions reverted (nonces {reverted[:10]})")
    return reused, [f"{len(mined)} operator transactions mined, nonces 0..{len(mined) - 1} ({first} of them registration's), "
                    f"{len(reverted)} reverted"]
