"""The adversarial scenario from start to verdict (`make adversarial`, tests/adversarial/).

1. Network: chain, contracts, committee (network.dev_network); the owner raises verifyBps to 100 % and
   shortens the windows (adversary.PARAMS); six nodes register and start, then node 5 goes offline.
2. Offline node: warm-up requests (inputs the cheater answers right) until one is assigned to the offline
   node; after its deadline the requester calls `refund`, which slashes and jails it, and sends it again;
   the chain is mined into the next draw epoch, from which the jailed node is no longer drawn.
3. Adversarial traffic: requests with distinct inputs; the nodes verify, dispute, vote, resolve and
   deliver corrections on their own, while the scenario only waits (and mines a block every second).
4. Attacks (adversary_attacks, adversary_griefing): timeout farming, a relayer tampering with and
   front-running node 0's results from the mempool, the colluder topping up its stake to steer the
   cheater's verifier, envelopes with a broken wrap (and proveWrap against the honest answer), and a
   callback that burns its whole gas cap.
   Throughout, the colluder never votes when drawn as a juror.
5. Settlement: the clock jumps past the windows; the nodes settle their own results.
6. Verdict: the nodes stop and adversary_checks judges everything from the chain.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cloister_chain import view

from . import DevnetError
from .accounts import DIRECT_REQUESTER
from .adversary import JAILED, OFFLINE, PARAMS, STATUSES, Cast, cast, node_status, set_params, wrong_for
from .adversary_attacks import Attacks, attackers, relayer_attacks, stake_steering, timeout_farming
from .adversary_checks import Judge, Record, Report
from .adversary_events import ChainEvents
from .adversary_griefing import callback_gas, envelope_griefing
from .adversary_ledger import eth
from .adversary_traffic import Inputs, Replaced, adversarial_plan, replace_unanswered
from .adversary_waits import Outstanding, wait
from .binary import LLM_TASKS, TASKS, Cloister
from .chain import block_ticker
from .network import Network, dev_network, draws_in_force
from .scenario import run_traffic
from .settlement import await_settlement, pass_windows
from .traffic import Planned, Sender

WARM_UP, MAX_WARM_UP = 4, 80  # warm-up requests: at least, and at most while none reaches the offline node
MAX_LLM = 40  # LLM requests the cheater answers wrongly, at most, until one is drawn to the cheater
STALL = 45.0  # seconds without a new event before giving up on verifications or moving past a jury deadline
ABSENT_QUIET = 4.0  # seconds without a new event before moving past a jury deadline when only absentees have not voted
ZERO = bytes(32)


@dataclass
class Options:
    requests: int = 24
    wrong_share_bps: int = 5000
    timeout: float = 180.0  # seconds each waiting step may take
    seed: int = 7


class Stage:
    """The run in progress: the network, the nodes, the event log, and a progress line printed on change."""

    def __init__(self, net: Network, actors: Cast, options: Options, log: Callable[[str], None]):
        self.net, self.actors, self.options, self.log = net, actors, options, log
        self.events = ChainEvents(net.chain, net.deployment)
        self.outstanding = Outstanding(net.chain, net.deployment, self.events, {actors.offline.node_id})
        self.sender = Sender(net.chain, net.deployment)
        self.inputs = Inputs(options.seed)
        self._line, self._printed, self._seen, self._moved = "", 0.0, 0, time.monotonic()
        self.unverified: set[bytes] = set()  # sampled results whose verification never came (given up on)

    def progress(self) -> None:
        """Prints the counts of each event kind when they change (and every 30 s while nothing moves)."""
        kinds = [("Requested", "requested"), ("Fulfilled", "fulfilled"), ("Verified", "verified"),
                 ("DisputeOpened", "disputed"), ("DisputeResolved", "resolved"),
                 ("CorrectedDelivered", "corrected"), ("Settled", "settled"), ("Refunded", "refunded")]
        line = ", ".join(f"{len(self.events.named(name))} {label}" for name, label in kinds)
        if line != self._line or time.monotonic() - self._printed >= 30:
            self.log(line)
            self._line, self._printed = line, time.monotonic()

    def judged(self, ids: list[bytes]) -> bool:
        """True once every result among `ids` is verified or disputed and every dispute is over. After STALL
        seconds without a new event it stops waiting for verifications (and says which), and if only
        disputes are left, moves the clock past the jury deadline so that absent jurors can be replaced."""
        self.events.poll()
        if len(self.events.all) != self._seen:
            self._seen, self._moved = len(self.events.all), time.monotonic()
        if self.outstanding.unfulfilled(ids):
            return False
        waiting = [i for i in self.outstanding.verifications(ids) if i not in self.unverified]
        disputes = self.outstanding.disputes()
        if not waiting and not disputes:
            return True
        quiet = time.monotonic() - self._moved
        if not waiting and quiet > ABSENT_QUIET and self.only_absentees_awaited(disputes):
            seconds = self.net.deployment.params()["jurorWindow"] + 1
            self.net.chain.advance(seconds, 1)
            self.log(f"open disputes wait only for jurors that never vote: clock +{seconds} s, past the jury deadline")
            self._moved = time.monotonic()
        elif quiet > STALL:
            if waiting:
                self.unverified.update(waiting)
                for request_id in waiting:
                    self.log(f"no verification within {STALL:.0f} s of quiet: {self.outstanding.describe(request_id)}")
            else:
                seconds = self.net.deployment.params()["jurorWindow"] + 1
                self.net.chain.advance(seconds, 1)
                self.log(f"open disputes idle for {STALL:.0f} s: clock +{seconds} s, past the jury deadline")
            self._moved = time.monotonic()
        return False

    def only_absentees_awaited(self, disputes: list[bytes]) -> bool:
        """Whether every open dispute has its jury and waits only for votes of nodes that never vote."""
        if not disputes:
            return False
        for request_id in disputes:
            d = view(self.net.chain.rpc, self.net.deployment.arbiter, "disputes", request_id)
            deadline, jurors, votes, resolved = d[9], d[11], d[12], d[14]
            missing = {j for j, v in zip(jurors, votes) if j != 0 and v == ZERO}
            if resolved or deadline == 0 or not missing or not missing <= self.actors.absentees:
                return False
        return True

    def await_judged(self, ids: list[bytes], what: str) -> None:
        if not wait(lambda: self.judged(ids), self.options.timeout, report=self.progress):
            o = self.outstanding
            self.log(f"{what}: gave up after {self.options.timeout:.0f} s with {len(o.unfulfilled(ids))} unanswered, "
                     f"{len(o.verifications(ids))} awaiting verification, {len(o.disputes())} disputes open")


def offline_phase(stage: Stage) -> Replaced:
    """Warm-up traffic until a request reaches the offline node; then its timeout, refund and replacement."""
    offline, bps = stage.actors.offline.node_id, stage.options.wrong_share_bps
    sent, missed = [], []
    while not missed or len(sent) < WARM_UP:
        if len(sent) >= MAX_WARM_UP:
            raise DevnetError(f"warm-up: none of {MAX_WARM_UP} requests was assigned to the offline node")
        task = TASKS[len(sent) % len(TASKS)]
        planned = Planned(task, stage.inputs.take(task, lambda payload: not wrong_for(payload, bps)), "direct")
        sent.append(stage.sender.send(planned))
        if stage.events.poll().first("Requested", sent[-1].id).fields["node"] == offline:
            missed.append(sent[-1])
    stage.log(f"warm-up: {len(sent)} requests (inputs the cheater answers right), {len(missed)} assigned to the "
              f"offline node (id {offline})")
    stage.await_judged([s.id for s in sent if s not in missed], "warm-up")
    replaced = replace_unanswered(stage.net, stage.events, stage.sender, missed, stage.log)
    stake, status = node_status(stage.net.chain, stage.net.deployment, offline)
    stage.log(f"offline node: stake {eth(stake)}, {STATUSES[status]}"
              + (": no longer drawn for requests, verifications or juries" if status == JAILED else ""))
    stage.await_judged([s.id for s in replaced.resent.values()], "re-sent requests")
    # Draws read the previous epoch's stakes: until the epoch ends, the jailed node can still be drawn as a
    # verifier (a wrong result it is sampled for would go unverified; its silence is reported and slashed).
    draws_in_force(stage.net.chain, stage.log)
    return replaced


def adversarial_phase(stage: Stage) -> None:
    """The adversarial traffic, then waiting until the nodes have verified it and closed every dispute."""
    plans = adversarial_plan(stage.inputs, stage.options.requests, stage.options.wrong_share_bps)
    selected = sum(1 for p in plans if wrong_for(p.payload, stage.options.wrong_share_bps))
    stage.log(f"sending {len(plans)} requests (a third through the consumer); the cheater's rule selects {selected} "
              f"of their inputs ({stage.options.wrong_share_bps} bps)")
    run = run_traffic(stage.net, plans, stage.options.timeout, stall=30)
    unanswered = [s for s in run.sent if s.id not in run.observer.fulfilled]
    stage.await_judged([s.id for s in run.sent if s not in unanswered], "adversarial traffic")
    if unanswered:
        replaced = replace_unanswered(stage.net, stage.events, stage.sender, unanswered, stage.log)
        stage.await_judged([s.id for s in replaced.resent.values()], "re-sent requests")


def llm_phase(stage: Stage) -> None:
    """The embedded LLM cheated on: generate and score requests whose inputs the cheater's rule selects, sent
    until one is drawn to the cheater (each is re-executed by a sampled verifier), then judged."""
    bps = stage.options.wrong_share_bps
    if bps == 0:
        return
    sent, drawn = [], []
    while not drawn or len(sent) < len(LLM_TASKS):
        if len(sent) >= MAX_LLM:
            raise DevnetError(f"LLM phase: none of {MAX_LLM} LLM requests was drawn to the cheater")
        task = LLM_TASKS[len(sent) % len(LLM_TASKS)]
        sent.append(stage.sender.send(Planned(task, stage.inputs.take(task, lambda payload: wrong_for(payload, bps)), "direct")))
        if stage.events.poll().first("Requested", sent[-1].id).fields["node"] == stage.actors.cheater.node_id:
            drawn.append(sent[-1])
    stage.log(f"LLM: {len(sent)} generate/score requests the cheater would answer wrongly, {len(drawn)} drawn to it")
    stage.await_judged([s.id for s in sent], "LLM requests")


def attack_phase(stage: Stage, attacks: Attacks) -> None:
    """The attackers' moves, once the adversarial traffic is judged (adversary_attacks)."""
    timeout_farming(stage, attacks)
    relayer_attacks(stage, attacks, stage.options.timeout)
    stage.await_judged(attacks.relayed, "relayed requests")
    stake_steering(stage, attacks)
    envelope_griefing(stage, attacks)
    callback_gas(stage, attacks)


def settlement_phase(stage: Stage) -> None:
    """Moves the clock past every window and waits for the nodes to settle every result not overturned."""
    params = stage.net.deployment.params()
    pass_windows(stage.net.chain, stage.net.deployment)
    stage.log(f"clock +{params['challengeWindow'] + 1} s and {params['verifyWindowBlocks'] + 1} blocks: every "
              "window is over; the nodes settle their own results")
    resolved = stage.events.poll().by_id("DisputeResolved")
    due = [i for i in stage.events.by_id("Fulfilled") if not (i in resolved and resolved[i][0].fields["executorLost"])]
    result = await_settlement(stage.net.chain, stage.net.deployment, due, stage.options.timeout)
    stage.events.poll()
    stage.progress()
    if result.failed:
        stage.log(f"settlement: {len(result.failed)} of {len(due)} results not settled within "
                  f"{stage.options.timeout:.0f} s")


def run_adversarial(state_dir: Path, options: Options, log: Callable[[str], None], adversary: Path) -> Report:
    """Runs the whole scenario in `state_dir` with `adversary` as the cheater's binary and returns the
    verdict; every process is stopped on return."""
    cloister = Cloister()
    with dev_network(state_dir, node_count=0, cloister=cloister, log=log) as net:
        params = set_params(net.chain, net.deployment, PARAMS)
        log("params: " + ", ".join(f"{name} {params[name]}" for name in PARAMS))
        attacks = attackers(net.chain, net.deployment)
        with cast(net, adversary, options.wrong_share_bps, log) as actors:
            actors.offline.stop()
            log(f"node {OFFLINE} goes offline (stopped; still registered and staked)")
            stage = Stage(net, actors, options, log)
            with block_ticker(net.chain):
                log("chain: an empty block every second, as a real chain would")
                offline = offline_phase(stage)
                adversarial_phase(stage)
                llm_phase(stage)
                attack_phase(stage, attacks)
                settlement_phase(stage)
        log("nodes stopped; reading the verdict from the chain")
        requesters = [net.chain.signer(DIRECT_REQUESTER).address, net.deployment.consumer.address,
                      attacks.accounts["requester"]]
        record = Record(net.chain, net.deployment, cloister, stage.events, stage.outstanding, actors,
                        options.wrong_share_bps, offline, requesters, attacks)
        return Judge(record).report()
