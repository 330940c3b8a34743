"""The chaos campaign (`make chaos`, tests/chaos/) from start to verdict: an operator's bad day with the chain.

1. Network: chain, contracts, committee (network.dev_network); N nodes, each with a lagging-backend fault
   proxy (scripts/rpc_fault_proxy.py) as its first RPC endpoint and the chain itself as its second (unless
   --no-failover); the
   proxies start honest, since a node refuses to start on lies (it fails closed).
2. Chaos: an empty block every second; the proxies lie at --fault-rate (empty eth_getLogs for the newest
   blocks, null blocks, stale heads, transient eth_estimateGas failures) while requests are sent, reorgs of
   depth 1..D orphan the newest blocks (devchain_reorg; every other one puts the orphaned transactions
   back into the pool as geth does, the others drop them) and nodes are killed with SIGKILL and started
   again. Where each fault happens is drawn from --seed before anything starts (chaos_faults.Schedule).
3. Heal: the proxies tell the truth again; the campaign waits until every request on the chain has a
   result and every operator has nothing in flight, or until nothing moved for `quiet` seconds.
4. Settlement: the clock jumps past the challenge and verification windows (and so past the deadline of
   any request still unanswered); the nodes settle their own results; every unanswered request is
   refunded by its requester, which slashes its node for the timeout, as a requester would.
5. Verdict (chaos_checks): from the final chain, while the nodes still answer questions about their jobs.
"""
from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from cloister_chain import RpcError, TransactionFailed

from . import DevnetError
from .accounts import DIRECT_REQUESTER, make_wallet, operator_account
from .adversary_events import ChainEvents
from .binary import Cloister
from .chain import Chain, block_ticker
from .chaos_checks import OperatorNonces, Verdict, judge, operator_nonces, short
from .chaos_faults import (REORG_GAP, RESTARTS_WITH_FAULTS, FaultLog, FaultProxy, FaultThread, KillPlan,
                           ReorgPlan, Schedule, kill_and_restart, reorg)
from .deployment import Deployment
from .network import SEED, dev_network, draws_in_force
from .nodes import Node
from .settlement import pass_windows, request_tuple
from .traffic import Planned, Sender, plan

RECEIPT_WAIT = 5.0  # seconds a request transaction may take to be mined before the traffic moves on


@dataclass
class Options:
    requests: int = 100
    nodes: int = 3
    reorgs: int = 20
    max_depth: int = 5
    fault_rate: float = 0.2
    kills: int = 5
    seed: int = 14
    confirmations: int = 2
    interval: float = 0.4  # seconds between two requests
    quiet: float = 30.0  # seconds without progress before a waiting step gives up
    timeout: float = 240.0  # seconds a waiting step may take at most
    failover: bool = True  # the chain itself as each node's second endpoint


class Traffic(threading.Thread):
    """Sends the planned requests straight to the chain (not through a proxy), `interval` seconds apart.
    A request whose transaction is orphaned and dropped by a reorg simply does not exist on the final
    chain; the checks count only those that do. `lock` is held from reading the requester's nonce to
    sending, and by every reorg: a reorg that reverted the nonce in between would leave the request
    queued behind a gap, to be mined whenever the requester sends again (say, a refund at the end)."""

    def __init__(self, chain: Chain, deployment: Deployment, plans: list[Planned], interval: float,
                 say: Callable[[str], None]):
        super().__init__(name="chaos traffic", daemon=True)
        self.chain, self.sender, self.plans, self.interval, self.say = chain, Sender(chain, deployment), plans, interval, say
        self.sent = 0
        self.refused: list[str] = []
        self.done = threading.Event()
        self.lock = threading.Lock()

    def run(self) -> None:
        try:
            for number, planned in enumerate(self.plans, 1):
                try:
                    with self.lock:
                        tx = self.chain.rpc.call("eth_sendRawTransaction", self.sender.sign(planned))
                    deadline = time.monotonic() + RECEIPT_WAIT
                    while self.chain.rpc.call("eth_getTransactionReceipt", tx) is None and time.monotonic() < deadline:
                        time.sleep(0.05)
                except Exception as error:  # e.g. a nonce a reorg just put back into the pool: the next one goes on
                    self.refused.append(f"request {number}: {error}")
                self.sent = number
                time.sleep(self.interval)
        finally:
            self.done.set()


def start_nodes(net, proxies: list[FaultProxy], options: Options, stack: ExitStack,
                say: Callable[[str], None]) -> list[Node]:
    nodes = []
    for index, proxy in enumerate(proxies):
        folder = net.state_dir / f"node-{index}"
        wallet = make_wallet(net.cloister, folder, "operator", operator_account(index))
        endpoints = [proxy.url, net.chain.url] if options.failover else [proxy.url]
        node = Node(index, net.cloister, net.chain, net.deployment.path, wallet, folder, SEED, options.confirmations,
                    chain_settings={"rpc": endpoints, "request_timeout_ms": 2000})
        stack.callback(node.stop)
        node.register(net.committee.url)
        say(f"node {index}: registered as node id {node.node_id} (operator {wallet.address}), RPC {proxy.url} "
            f"(fault proxy)" + (f" then {net.chain.url}" if options.failover else " only"))
        nodes.append(node)
    draws_in_force(net.chain, say)
    for node in nodes:
        node.start()
        say(f"node {node.index}: ready at {node.url} (log {node.child.log_path})")
    return nodes


def waiting_for(chain: Chain, deployment: Deployment, operators: list[str]) -> tuple[list[bytes], list[OperatorNonces]]:
    """(requests on the chain without a result, operators with something in flight or a gap)."""
    events = ChainEvents(chain, deployment).poll()
    fulfilled = events.by_id("Fulfilled")
    unanswered = [e.fields["id"] for e in events.named("Requested") if e.fields["id"] not in fulfilled]
    busy = [o for o in (operator_nonces(chain, a) for a in operators) if o.gap]
    return unanswered, busy


def wait_quiet(check: Callable[[], object], done: Callable[[object], bool], options: Options,
               say: Callable[[str], None], what: str) -> object:
    """Calls `check()` every second until `done(result)`, or until its result has not changed for
    `options.quiet` seconds or `options.timeout` passed; returns the last result."""
    started = moved = time.monotonic()
    last = check()
    while not done(last):
        now = time.monotonic()
        if now - moved > options.quiet or now - started > options.timeout:
            say(f"{what}: gave up after {now - started:.0f} s ({now - moved:.0f} s without progress)")
            break
        time.sleep(1.0)
        result = check()
        if result != last:
            last, moved = result, time.monotonic()
    return last


def refund_unanswered(chain: Chain, deployment: Deployment, say: Callable[[str], None]) -> int:
    """After the deadlines: the requester's `refund` of every request without a result (the node is
    slashed for the timeout). Returns how many were refunded."""
    events = ChainEvents(chain, deployment).poll()
    fulfilled, refunded = events.by_id("Fulfilled"), events.by_id("Refunded")
    unanswered = [e.fields for e in events.named("Requested")
                  if e.fields["id"] not in fulfilled and e.fields["id"] not in refunded]
    if not unanswered:
        return 0
    late = max(r["deadline"] for r in unanswered) - chain.block_timestamp() + 1
    if late > 0:
        chain.advance(late, 1)
    refunder, count = chain.signer(DIRECT_REQUESTER), 0
    for fields in unanswered:
        try:
            refunder.transact(deployment.core, "refund", request_tuple(fields))
            count += 1
            say(f"refund of unanswered request {short(fields['id'])} (node id {fields['node']})")
        except (TransactionFailed, RpcError) as error:
            say(f"refund of {short(fields['id'])} failed: {error}")
    return count


def run_chaos(state_dir: Path, options: Options, say: Callable[[str], None]) -> Verdict:
    """Runs the campaign in `state_dir` and returns the verdict; every process is stopped on return."""
    cloister = Cloister()
    schedule = Schedule.of(options.seed, options.requests, options.reorgs, options.max_depth, options.kills,
                           options.nodes)
    faults = FaultLog()
    with ExitStack() as stack:
        net = stack.enter_context(dev_network(state_dir, node_count=0, cloister=cloister, log=say))
        proxies = [stack.enter_context(FaultProxy(net.chain, i, options.seed * 100 + i, state_dir))
                   for i in range(options.nodes)]
        nodes = start_nodes(net, proxies, options, stack, say)
        chain, deployment = net.chain, net.deployment
        operators = [n.wallet.address for n in nodes]
        stack.enter_context(block_ticker(chain))
        say("chain: an empty block every second")

        for proxy in proxies:
            proxy.set_rate(options.fault_rate)
        say(f"faults on: each node's endpoint lies at rate {options.fault_rate} (empty logs, null blocks, stale "
            f"heads, transient estimation failures); {len(schedule.reorgs)} reorgs (depths "
            f"{[r.depth for r in schedule.reorgs]}, re-injected {[r.reinject for r in schedule.reorgs]}) and "
            f"{len(schedule.kills)} kills (nodes {[k.node for k in schedule.kills]}) planned over "
            f"{options.requests} requests (seed {options.seed})")
        traffic = Traffic(chain, deployment, plan(options.requests, malformed=0, seed=options.seed),
                          options.interval, say)

        def fire_reorg(p: ReorgPlan) -> None:
            with traffic.lock:
                reorg(chain, p, faults, say)

        def fire_kill(p: KillPlan) -> None:
            kill_and_restart(nodes[p.node], proxies[p.node], options.fault_rate, faults, say)

        threads = [FaultThread("reorgs", schedule.reorgs, lambda: traffic.sent, traffic.done, fire_reorg, faults,
                               gap=REORG_GAP),
                   FaultThread("kills", schedule.kills, lambda: traffic.sent, traffic.done, fire_kill, faults)]
        traffic.start()
        for thread in threads:
            thread.start()
        traffic.join()
        for thread in threads:
            thread.join()
        say(f"traffic: {traffic.sent} requests sent" + (f", {len(traffic.refused)} refused by the chain"
                                                       if traffic.refused else ""))

        stats = [proxy.set_rate(0) for proxy in proxies]
        for node in nodes:
            if not node.child.alive():
                raise DevnetError(f"node {node.index} is not running after the chaos: "
                                  f"{node.child.last_lines(5)}")
        proxied = sum(s["requests"] for s in stats)
        injected = sum(sum(s["faults"].values()) for s in stats)
        by_kind = {k: sum(s["faults"].get(k, 0) for s in stats) for k in stats[0]["faults"]}
        say(f"heal: the endpoints tell the truth again; they had lied to {injected} of {proxied} calls ({by_kind})")

        def progress():
            unanswered, busy = waiting_for(chain, deployment, operators)
            # The nodes' own work too (a verification in progress on a loaded machine): passing the
            # verification window before it lands would have the verifier reported as silent.
            working = sum(jobs_in_progress(node) for node in nodes)
            return len(unanswered), tuple((o.latest, o.pending, tuple(o.pooled["queued"])) for o in busy), working

        left = wait_quiet(progress, lambda r: r[0] == 0 and not r[1] and r[2] == 0, options, say, "quiescence")
        say(f"quiescence: {left[0]} requests without a result, {len(left[1])} operators with transactions in flight")

        params = deployment.params()
        pass_windows(chain, deployment)
        say(f"clock +{params['challengeWindow'] + 1} s and {params['verifyWindowBlocks'] + 1} blocks: the windows "
            "are over (and so is every deadline); the nodes settle their own results")
        refund_unanswered(chain, deployment, say)

        def unsettled():
            events = ChainEvents(chain, deployment).poll()
            settled, refunded = events.by_id("Settled"), events.by_id("Refunded")
            due = [i for i in events.by_id("Fulfilled") if i not in settled and i not in refunded]
            busy = [o for o in (operator_nonces(chain, a) for a in operators) if o.gap]
            return len(due), tuple((o.latest, o.pending, tuple(o.pooled["queued"])) for o in busy)

        left = wait_quiet(unsettled, lambda r: r[0] == 0 and not r[1], options, say, "settlement")
        say(f"settlement: {left[0]} results not settled, {len(left[1])} operators with transactions in flight")

        nonces = [operator_nonces(chain, a) for a in operators]
        proxied_percent = 100.0 * injected / proxied if proxied else 0.0
        verdict = judge(chain, deployment, nodes, nonces, len(faults.kills), faults.reorgs, proxied_percent)
        verdict.failures.extend(f"fault injection: {e}" for e in faults.errors)
        if len(faults.reorgs) != options.reorgs:
            verdict.failures.append(f"fault injection: {len(faults.reorgs)} of {options.reorgs} reorgs happened")
        if len(faults.kills) != options.kills:
            verdict.failures.append(f"fault injection: {len(faults.kills)} of {options.kills} kills happened")
        if faults.refused_starts:
            reasons = sorted({reason for _, reason in faults.refused_starts})
            verdict.notes.append(f"{len(faults.refused_starts)} starts after a kill exited while the endpoint lied "
                                 f"(failing closed; started again): {'; '.join(r[:200] for r in reasons)}")
        if faults.healed_starts:
            verdict.notes.append(f"nodes {faults.healed_starts} started again only once their endpoint was healed "
                                 f"(each refused {RESTARTS_WITH_FAULTS} starts while it lied)")
        dropped = sum(len(r["dropped"]) for r in faults.reorgs)
        reinjected = sum(len(r["reinjected"]) for r in faults.reorgs)
        verdict.notes.append(f"reorgs: {dropped} orphaned transactions dropped, {reinjected} put back into the pool")
        return verdict


IN_PROGRESS = ("observed", "executing", "executed", "signed", "submitted", "included")


def jobs_in_progress(node) -> int:
    """Jobs a node has not finished (by its `/v1/status`); 1 when it does not answer (restarting: its
    work is unknown, so the campaign waits)."""
    try:
        with urllib.request.urlopen(node.url + "/v1/status", timeout=5) as response:
            jobs = json.loads(response.read())["jobs"]
    except (OSError, ValueError, KeyError):
        return 1
    return sum(jobs.get(state, 0) for state in IN_PROGRESS)
