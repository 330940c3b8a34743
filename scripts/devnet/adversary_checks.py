"""The adversarial run judged from the chain: one named check per property of issue #7, and the summary line.

Everything is read back from the chain (events and views); the only other input is the honest output of
each request the cheater touched, computed independently with `cloister infer`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from cloister_chain import view
from cloister_signing import plaintext_commitment

from .adversary import ACTIVE, JAILED, REASONS, STATUSES, Cast, node_status, wrong_for
from .adversary_attacks import Attacks, attacker_money
from .adversary_events import ChainEvents
from .adversary_ledger import eth, ledger_problems
from .adversary_traffic import Replaced
from .adversary_waits import Outstanding
from .binary import LLM_TASKS, Cloister
from .chain import Chain
from .deployment import Deployment

DISPUTE_LOST, TIMEOUT, JUROR_ABSENT = 2, 1, 3
FEE, VERIFIER_FEE, SLASH_SHARE, BOND_RETURN = 1, 2, 4, 5  # Credited reasons
FINAL, REFUNDED = (1).to_bytes(32, "big"), (2).to_bytes(32, "big")
REFUND = 3  # Credited reason of a fee paid back


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


@dataclass
class Record:
    """What the run did, for the judge: the chain, the nodes by role, and the offline node's requests."""

    chain: Chain
    deployment: Deployment
    cloister: Cloister
    events: ChainEvents
    outstanding: Outstanding
    cast: Cast
    wrong_share_bps: int
    offline: Replaced
    requesters: list[str]  # addresses whose requests the run sent (the direct account, the consumer, the attacker)
    attacks: Attacks
    references: dict[bytes, bytes] = field(default_factory=dict)  # request id -> honest output

    def reference(self, request_id: bytes) -> bytes:
        """The honest output of a request: its input through `cloister infer` (cached)."""
        if request_id not in self.references:
            requested = self.events.first("Requested", request_id).fields
            task = next(t for t, m in self.deployment.models.items() if m == requested["model"])
            self.references[request_id] = self.cloister.reference_output(task, requested["input"])
        return self.references[request_id]

    def honest_commitment(self, request_id: bytes) -> bytes:
        return plaintext_commitment(request_id, 0, self.reference(request_id))

    def read(self, name: str, *args):
        return view(self.chain.rpc, self.deployment.core, name, *args)


def short(request_id: bytes) -> str:
    return f"0x{request_id.hex()[:12]}…"


@dataclass
class Report:
    checks: list[Check]
    wrong: int
    disputed: int
    honest_wins: int
    cheater_slashed: int
    honest_slashed: int
    griefing: int = 0
    attacker_profit: int = 0
    steered: int = 0

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    def check(self, name: str) -> Check:
        return next(c for c in self.checks if c.name == name)

    def line(self) -> str:
        return (f"adversarial: {self.wrong} wrong results, {self.disputed} disputed, {self.honest_wins} won by honest "
                f"majority, cheater slashed {eth(self.cheater_slashed)}, honest slashed {eth(self.honest_slashed)}, "
                f"griefing attempts {self.griefing}, attacker profit {eth(self.attacker_profit)}, "
                f"draws steered {self.steered}")


class Judge:
    """Reads the run's outcome once and answers each check."""

    def __init__(self, record: Record):
        self.r = record
        self.ev = record.events.poll()
        self.cheater = record.cast.cheater.node_id
        self.offline = record.cast.offline.node_id
        self.honest = record.cast.honest_ids
        self.fulfilled = {i: evs[0] for i, evs in self.ev.by_id("Fulfilled").items()}
        self.opened = {i: evs[0] for i, evs in self.ev.by_id("DisputeOpened").items()}
        self.resolved = {i: evs[0] for i, evs in self.ev.by_id("DisputeResolved").items()}
        self.cheated = {i: f for i, f in self.fulfilled.items()
                        if f.fields["node"] == self.cheater and f.fields["status"] == 0}
        self.wrong_fulfilments = [i for i, f in self.cheated.items() if f.fields["output"] != record.reference(i)]

    def selected(self, request_id: bytes) -> bool:
        """Whether the cheater's rule makes it wrong on this request's input."""
        return wrong_for(self.ev.first("Requested", request_id).fields["input"], self.r.wrong_share_bps)

    def wrong_verifications(self) -> list[bytes]:
        return [i for i, e in self.opened.items() if e.fields["challenger"] == self.cheater
                and e.fields["challengerCommitment"] != self.r.honest_commitment(i)]

    def wrong_votes(self) -> list[bytes]:
        return [e.fields["id"] for e in self.ev.named("Voted", juror=self.cheater)
                if e.fields["commitment"] != self.r.honest_commitment(e.fields["id"])]

    def slashed(self, nodes: set[int]) -> list:
        return [e for e in self.ev.named("Slashed") if e.fields["node"] in nodes]

    def report(self) -> Report:
        checks = [self.as_predicted(), self.wrong_disputed(), self.honest_majority(), self.cheater_slashed(),
                  self.honest_untouched(), self.offline_replaced(), self.corrected(), self.requester_credits(),
                  self.all_final(), self.nodes_settled(), self.conservation(), self.farming(), self.tampering(),
                  self.front_running(), self.steering(), self.envelope_griefing(), self.callback_gas(),
                  self.absent_jurors(), self.profit(), self.llm_caught()]
        wrong = len(self.wrong_fulfilments) + len(self.wrong_verifications()) + len(self.wrong_votes())
        wins = sum(1 for i, e in self.resolved.items() if e.fields["winner"] == self.r.honest_commitment(i))
        a, relayer = self.r.attacks, self.r.cast.relayer.log
        griefing = ((a.farming.refused is not None) + (a.farming.request_id is not None) + len(relayer.tampered)
                    + (relayer.front_run is not None) + len(a.steering.attempts)
                    + sum(not e.control for e in a.envelopes) + sum(len(e.proofs) for e in a.envelopes)
                    + (a.callback.underpaid is not None) + (a.callback.request_id is not None))
        return Report(checks, wrong, len(self.opened), wins,
                      sum(e.fields["amount"] for e in self.slashed({self.cheater})),
                      sum(e.fields["amount"] for e in self.slashed(self.honest)),
                      griefing, sum(self.gains.values()), a.steering.steered)

    # ---- the checks, in the order of the issue ----------------------------------------------------------------

    def as_predicted(self) -> Check:
        """The cheater's answers were wrong exactly on the inputs its rule selects (executor and verifier)."""
        off = []
        for i in self.cheated:
            if (i in self.wrong_fulfilments) != self.selected(i):
                off.append(f"executed {short(i)}")
        for e in self.ev.named("Verified", verifier=self.cheater):
            if self.selected(e.fields["id"]):
                off.append(f"confirmed {short(e.fields['id'])}")
        for i, e in self.opened.items():
            if e.fields["challenger"] == self.cheater and not self.selected(i):
                off.append(f"disputed {short(i)}")
        detail = (f"{len(self.cheated)} results executed by the cheater, {len(self.wrong_fulfilments)} wrong; "
                  f"{len(self.wrong_verifications())} wrong verifications")
        return Check("cheater wrong as predicted", not off, detail + (f"; unexpected: {', '.join(off)}" if off else ""))

    def wrong_disputed(self) -> Check:
        """Every wrong result that was sampled (or challenged) was disputed."""
        missed, unsampled = [], []
        for i in self.wrong_fulfilments:
            if i in self.opened:
                continue
            verifier = self.r.outstanding.sampled_verifier(self.fulfilled[i])
            (unsampled if verifier == 0 else missed).append(self.r.outstanding.describe(i))
        disputed = len(self.wrong_fulfilments) - len(missed) - len(unsampled)
        detail = f"{len(self.wrong_fulfilments)} wrong results, {disputed} disputed"
        if unsampled:
            detail += f"; not sampled (allowed): {', '.join(unsampled)}"
        if missed:
            detail += f"; sampled but never disputed: {', '.join(missed)}"
        return Check("every sampled wrong result disputed", not missed, detail)

    def llm_caught(self) -> Check:
        """The cheater lied on the embedded LLM too, and each of its wrong LLM answers was re-executed by a
        sampled verifier, disputed and overturned."""
        llm_models = {m for t, m in self.r.deployment.models.items() if t in LLM_TASKS}
        wrong = [i for i in self.wrong_fulfilments if self.ev.first("Requested", i).fields["model"] in llm_models]
        bad = [short(i) for i in wrong if not (i in self.resolved and self.resolved[i].fields["executorLost"])]
        detail = f"{len(wrong)} wrong LLM answers by the cheater, {len(wrong) - len(bad)} disputed and overturned"
        if bad:
            detail += f"; not overturned: {', '.join(bad)}"
        return Check("cheater caught lying on the LLM", bool(wrong) and not bad, detail)

    def honest_majority(self) -> Check:
        """Every dispute has the cheater as a party and was won by the honest commitment."""
        bad = []
        for i, opened in self.opened.items():
            parties = {opened.fields["executor"], opened.fields["challenger"]}
            resolved = self.resolved.get(i)
            if self.cheater not in parties:
                bad.append(f"{short(i)}: the cheater is not a party ({parties})")
            elif resolved is None:
                bad.append(f"{short(i)}: not resolved")
            elif resolved.fields["winner"] != self.r.honest_commitment(i):
                juries = [len(e.fields["jurors"]) for e in self.ev.by_id("JurorsDrawn").get(i, [])]
                bad.append(f"{short(i)}: winner 0x{resolved.fields['winner'].hex()[:12]} is not the honest commitment "
                           f"(jury sizes drawn: {juries})")
            elif resolved.fields["executorLost"] != (opened.fields["executor"] == self.cheater):
                bad.append(f"{short(i)}: executorLost {resolved.fields['executorLost']}")
            elif set(resolved.fields["winners"]) - self.honest - {self.r.cast.colluder.node_id}:
                # the colluder computes honestly (it only stays away from juries): as a verifier it may win
                bad.append(f"{short(i)}: winners {list(resolved.fields['winners'])} not all honest")
        overturned = sum(1 for e in self.resolved.values() if e.fields["executorLost"])
        detail = (f"{len(self.opened)} disputes, {len(self.resolved)} resolved: {overturned} overturned, "
                  f"{len(self.resolved) - overturned} upheld")
        return Check("every dispute won by the honest majority", not bad, detail + "".join(f"; {b}" for b in bad))

    def cheater_slashed(self) -> Check:
        """The cheater lost stake once per dispute it lost, and for nothing else."""
        slashes = self.slashed({self.cheater})
        lost = [e for e in slashes if e.fields["reason"] == DISPUTE_LOST]
        other = [REASONS.get(e.fields["reason"], e.fields["reason"]) for e in slashes if e not in lost]
        ok = bool(self.opened) and len(lost) == len(self.resolved) and not other
        stake, status = node_status(self.r.chain, self.r.deployment, self.cheater)
        detail = (f"{len(lost)} slashes for lost disputes ({len(self.resolved)} resolved), "
                  f"{eth(sum(e.fields['amount'] for e in slashes))} in all; stake now {eth(stake)}, {STATUSES[status]}")
        if not self.opened:
            detail += "; no dispute happened (raise --requests or --wrong-share-bps)"
        if other:
            detail += f"; other slashes: {other}"
        return Check("cheater slashed", ok, detail)

    def honest_untouched(self) -> Check:
        """No honest node was slashed, and all are still active."""
        slashes = [f"node id {e.fields['node']} ({REASONS.get(e.fields['reason'])})" for e in self.slashed(self.honest)]
        inactive = [n for n in sorted(self.honest) if node_status(self.r.chain, self.r.deployment, n)[1] != ACTIVE]
        detail = f"{len(self.honest)} honest nodes, {len(slashes)} slashes"
        if slashes:
            detail += f": {', '.join(slashes)}"
        if inactive:
            detail += f"; not active: {inactive}"
        return Check("no honest node slashed", not slashes and not inactive, detail)

    def offline_replaced(self) -> Check:
        """The offline node was slashed for each timeout and jailed, and its requests were served by others."""
        bad = []
        offline = self.r.offline
        if not offline.refunded:
            bad.append("no request timed out")
        for i in offline.refunded:
            refunded = self.ev.first("Refunded", i)
            slashes = self.ev.in_tx(refunded.tx, "Slashed") if refunded else []
            if not any(e.fields["node"] == self.offline and e.fields["reason"] == TIMEOUT for e in slashes):
                bad.append(f"{short(i)}: no timeout slash of the offline node")
            again = self.fulfilled.get(offline.resent[i].id)
            if again is None or again.fields["node"] == self.offline:
                bad.append(f"{short(i)}: re-sent request not served by another node")
        reasons = {REASONS.get(e.fields["reason"]) for e in self.slashed({self.offline})}
        if reasons - {"timeout", "juror absent", "verifier silent"}:
            bad.append(f"offline node slashed for {reasons}")
        stake, status = node_status(self.r.chain, self.r.deployment, self.offline)
        if status != JAILED:
            bad.append(f"offline node {STATUSES[status]}, not jailed")
        servers = sorted({self.fulfilled[s.id].fields["node"] for s in offline.resent.values()
                          if s.id in self.fulfilled})
        detail = (f"{len(offline.refunded)} timed out, refunded and re-sent (served by node ids {servers}); "
                  f"offline node slashed {eth(sum(e.fields['amount'] for e in self.slashed({self.offline})))}, "
                  f"stake now {eth(stake)}, {STATUSES[status]}")
        return Check("offline node slashed for timeouts and replaced", not bad, detail + "".join(f"; {b}" for b in bad))

    def corrected(self) -> Check:
        """Each overturned request got its fee back and the honest output (and its callback that output)."""
        bad, count = [], 0
        consumer = self.r.deployment.consumer
        delivered = {i: evs[0] for i, evs in self.ev.by_id("CorrectedDelivered").items()}
        for i, resolved in self.resolved.items():
            if not resolved.fields["executorLost"]:
                continue
            count += 1
            requested = self.ev.first("Requested", i).fields
            correction = delivered.get(i)
            if correction is None or correction.fields["output"] != self.r.reference(i):
                bad.append(f"{short(i)}: corrected output missing or not the honest one")
            elif correction.fields["node"] == self.cheater or correction.fields["status"] != 0:
                bad.append(f"{short(i)}: corrected by the cheater or with an error status")
            refunds = [e for e in self.ev.in_tx(resolved.tx, "Credited")
                       if e.fields["account"] == requested["requester"] and e.fields["reason"] == REFUND]
            if [e.fields["amount"] for e in refunds] != [requested["fee"]]:
                bad.append(f"{short(i)}: fee not credited back to the requester")
            if requested["callback"].lower() == consumer.address.lower():
                answer = view(self.r.chain.rpc, consumer, "answers", i)
                if answer[3] != self.r.reference(i):
                    bad.append(f"{short(i)}: the consumer's stored answer is not the honest output")
        return Check("requesters got the corrected output and a refund", not bad,
                     f"{count} overturned results" + "".join(f"; {b}" for b in bad))

    def requester_credits(self) -> Check:
        """Each requester's credits on chain are exactly its refunds (overturned results and timeouts)."""
        bad, parts = [], []
        for account in self.r.requesters:
            expected = sum(self.ev.first("Requested", i).fields["fee"] for i, e in self.resolved.items()
                           if e.fields["executorLost"] and self.ev.first("Requested", i).fields["requester"].lower()
                           == account.lower())
            # a timeout refund is the fee alone: the node's timeout slash is burned (ledger.burned)
            expected += sum(e.fields["fee"] for e in self.ev.named("Refunded")
                            if e.fields["requester"].lower() == account.lower())
            held = self.r.read("credits", account)
            parts.append(f"{account[:10]}… {eth(held)}")
            if held != expected:
                bad.append(f"{account}: credits {held} wei, refunds {expected} wei")
        return Check("requesters credited their refunds", not bad, ", ".join(parts) + "".join(f"; {b}" for b in bad))

    def all_final(self) -> Check:
        """Every request ended settled, corrected or refunded: nothing left in escrow."""
        ids = list(self.ev.by_id("Requested"))
        left = [short(i) for i in ids if self.r.read("requests", i) not in (FINAL, REFUNDED)]
        return Check("every request final", not left, f"{len(ids) - len(left)} of {len(ids)} final"
                     + (f"; not final: {', '.join(left[:8])}" if left else ""))

    def nodes_settled(self) -> Check:
        """Every result was settled by a node (its operator's transaction), none by the scenario."""
        operators = {n.node_id: n.wallet.address.lower() for n in self.r.cast.nodes}
        settled = self.ev.named("Settled")
        senders = {e.tx: self.r.chain.rpc.call("eth_getTransactionByHash", e.tx)["from"].lower() for e in settled}
        foreign = [short(e.fields["id"]) for e in settled if senders[e.tx] not in operators.values()]
        own = sum(1 for e in settled if senders[e.tx] == operators.get(e.fields["node"]))
        return Check("nodes settled the results themselves", bool(settled) and not foreign,
                     f"{len(settled)} settled in {len(senders)} transactions, {own} by their executor and "
                     f"{len(settled) - own - len(foreign)} by another node"
                     + (f"; not by a node: {', '.join(foreign)}" if foreign else ""))

    def conservation(self) -> Check:
        """The core's balance equals its accounted total and every flow the events record."""
        problems, summary = ledger_problems(self.r.chain, self.r.deployment, self.ev)
        return Check("conservation", not problems, summary + "".join(f"; {p}" for p in problems))

    # ---- the attackers (adversary_attacks) ---------------------------------------------------------------------

    def farming(self) -> Check:
        """A deadline below minResponseTime is refused; a refund after the attackers' own node timed out gives
        back the fee alone, and the node's slash is burned."""
        f, bad = self.r.attacks.farming, []
        if f.refused is None or "minResponseTime" not in f.refused:
            bad.append(f"a deadline below minResponseTime was not refused ({f.refused})")
        if f.request_id is None:
            bad.append("no request was refunded")
        elif not (f.refunded_fee == f.credited == f.fee > 0):
            bad.append(f"refund credited {f.credited} wei for a fee of {f.fee} (Refunded.fee {f.refunded_fee})")
        elif not (f.slashed > 0 and f.burned == f.slashed):
            bad.append(f"timeout slash {f.slashed} wei, burned {f.burned} wei")
        detail = (f"short deadline refused: {f.refused}; refund of a request to the stopped colluder: fee {eth(f.fee)} "
                  f"credited {eth(f.credited)}, colluder slashed {eth(f.slashed)}, burned {eth(f.burned)}")
        return Check("timeout farming refused or unprofitable", not bad, detail + "".join(f"; {b}" for b in bad))

    def tampering(self) -> Check:
        """Every copy of a node's result with its status or output changed reverted on the signature, and
        the node's own result landed."""
        log, bad = self.r.cast.relayer.log, []
        if len(log.tampered) != 3:
            bad.append(f"{len(log.tampered)} tampered copies sent, not 3 (the relayer saw {len(log.seen)} "
                       f"transactions; mempool errors {self.r.cast.mempool.errors})")
        for attempt in log.tampered:
            if attempt.status != 0:
                bad.append(f"the copy with its {attempt.change} changed was accepted (tx {attempt.tx})")
            elif "not the node's attested key" not in (attempt.call_error or ""):
                bad.append(f"the copy with its {attempt.change} changed failed for another reason: {attempt.call_error}")
            fulfilled = self.fulfilled.get(attempt.request_id)
            if fulfilled is None or fulfilled.tx.lower() not in {t.lower() for t in log.seen}:
                bad.append(f"{short(attempt.request_id)}: not fulfilled by the node's own transaction")
        changes = ", ".join(a.change for a in log.tampered)
        return Check("relayed results cannot be altered", not bad,
                     f"copies with changed {changes or 'nothing'}: all reverted with the signature check" if not bad
                     else "; ".join(bad))

    def front_running(self) -> Check:
        """One item of the node's batch relayed first: the batch still landed and fulfilled the others."""
        log, bad = self.r.cast.relayer.log, []
        if log.front_run is None or log.batch_tx is None:
            return Check("a front-run batch still lands", False,
                         f"no batch of node 0 with two relayed results was seen ({len(log.seen)} transactions)")
        if log.front_run.status != 1:
            bad.append(f"the relayed copy of the node's own result failed: {log.front_run.call_error}")
        receipt = self.r.chain.rpc.call("eth_getTransactionReceipt", log.batch_tx)
        if receipt is None or int(receipt["status"], 16) != 1:
            bad.append(f"the node's batch {log.batch_tx} did not land")
        for request_id in log.batch_ids:
            fulfilled = self.fulfilled.get(request_id)
            expected = log.front_run.tx if request_id == log.front_run.request_id else log.batch_tx
            if fulfilled is None or fulfilled.tx.lower() != (expected or "").lower():
                bad.append(f"{short(request_id)} not fulfilled by {expected}")
        detail = (f"batch of {len(log.batch_ids)} relayed results; {short(log.front_run.request_id)} relayed first, "
                  f"the batch landed for the other {len(log.batch_ids) - 1}")
        return Check("a front-run batch still lands", not bad, detail + "".join(f"; {b}" for b in bad))

    def steering(self) -> Check:
        """Stake topped up once the cheater's fulfilment block hash was known never changed its verifier."""
        s = self.r.attacks.steering
        changed = self.ev.named("StakeChanged", node=self.r.cast.colluder.node_id)
        bad = [] if s.attempts else ["the cheater served none of the steering requests"]
        bad += [f"{short(i)}: verifier {b} became {a}" for i, b, a in s.attempts if b != a]
        detail = (f"{len(s.attempts)} top-ups after the cheater's result ({len(changed)} stake changes of the colluder); "
                  f"verifiers before/after: {[(b, a) for _, b, a in s.attempts]}")
        return Check("stake top-ups steer no draw", not bad, detail + "".join(f"; {b}" for b in bad))

    def envelope_griefing(self) -> Check:
        """Broken wraps: the honest recipient answers status 3 (or abstains as verifier), is never slashed, its
        status-3 result is neither verified nor disputed and is paid at settlement, and proveWrap against it
        reverts ("wrap: does not open"); against a normal answer it reverts too ("wrap: no failure reported")."""
        sent, bad, parts = self.r.attacks.envelopes, [], []
        if len(sent) != 4:  # two with a broken wrap, two controls (every wrap good; one bound elsewhere)
            bad.append(f"{len(sent)} confidential requests sent, not 4")
        lied = [short(e.fields["id"]) for e in self.ev.named("WrapProven")]
        if lied:
            bad.append(f"WrapProven for {', '.join(lied)}")
        touched = {n for e in sent for n in e.recipients}
        slashes = [f"node id {e.fields['node']} ({REASONS.get(e.fields['reason'], e.fields['reason'])})"
                   for e in self.slashed(touched)]
        if slashes:
            bad.append(f"recipients slashed: {', '.join(slashes)}")
        for e in sent:
            name, fulfilled = e.label, self.fulfilled.get(e.request_id)
            if fulfilled is None:
                bad.append(f"{name}: not answered")
                continue
            executor, status = fulfilled.fields["node"], fulfilled.fields["status"]
            if executor not in self.honest:
                bad.append(f"{name}: executed by node id {executor}, not an honest node")
            if (status == 3) != (executor in e.broken):
                bad.append(f"{name}: executor {executor} answered status {status} "
                           f"(its wrap broken: {executor in e.broken})")
            if status == 3:
                judged = [k for k in ("Verified", "DisputeOpened", "Abstained") if self.ev.first(k, e.request_id)]
                if judged or self.r.outstanding.sampled_verifier(fulfilled) != 0:
                    bad.append(f"{name}: the status-3 result was sampled or judged ({judged})")
                settled = self.ev.first("Settled", e.request_id)
                if settled is None or settled.fields["node"] != executor or settled.fields["executorAmount"] == 0:
                    bad.append(f"{name}: the executor was not paid at settlement")
                else:
                    parts.append(f"{e.label}: node id {executor} answered status 3, paid "
                                 f"{eth(settled.fields['executorAmount'])}")
            else:
                abstained = {a.fields["node"] for a in self.ev.named("Abstained", id=e.request_id)}
                if abstained != e.broken - {executor}:
                    bad.append(f"{name}: abstentions {sorted(abstained)}, broken wraps {sorted(e.broken)}")
                if self.ev.first("DisputeOpened", e.request_id):
                    bad.append(f"{name}: disputed")
                parts.append(f"{e.label}: node id {executor} answered status {status}"
                             + (f", node id(s) {sorted(abstained)} abstained as verifier" if abstained else
                                ", verified" if self.ev.first("Verified", e.request_id) else ""))
            expected = "wrap: no failure reported" if e.control else "wrap: does not open"
            reporters = {executor} if e.control else ({executor} if status == 3 else set()) | (e.broken - {executor})
            if {p.node for p in e.proofs} != reporters:
                bad.append(f"{name}: proveWrap tried against {sorted(p.node for p in e.proofs)}, "
                           f"not {sorted(reporters)}")
            for p in e.proofs:
                if expected not in (p.call_error or "") or p.status != 0 or p.opens != e.control:
                    bad.append(f"{name}: proveWrap against {p.node}: {p.call_error}, mined status {p.status}, "
                               f"the reference says it opens: {p.opens}")
        proofs = [p for e in sent for p in e.proofs]
        reasons = ", ".join(f"node id {p.node}: {(p.call_error or 'accepted').removeprefix('execution reverted: ')}"
                            for p in proofs)
        detail = "; ".join(parts) + f"; {len(proofs)} proveWrap attempts ({reasons})"
        return Check("envelope griefing costs only the griefer", not bad, detail + "".join(f"; {b}" for b in bad))

    def callback_gas(self) -> Check:
        """A callback that burns its whole gas cap: underpaying requestFee is refused; the paid request is answered
        by an honest node whose executor share covers the callback gas and its transaction's gas at gasPrice."""
        g, bad = self.r.attacks.callback, []
        if g.underpaid is None or "request: fee below model fee plus callback gas" not in g.underpaid:
            bad.append(f"requestFee - 1 was not refused for the callback gas ({g.underpaid})")
        fulfilled = self.fulfilled.get(g.request_id) if g.request_id else None
        if fulfilled is None:
            return Check("callback gas paid by the requester", False,
                         "; ".join(bad + ["the paid request was not answered"]))
        requested = self.ev.first("Requested", g.request_id).fields
        if requested["fee"] != g.required or requested["callbackGas"] != g.callback_gas:
            bad.append(f"request paid {requested['fee']} wei for {requested['callbackGas']} gas")
        if fulfilled.fields["node"] not in self.honest:
            bad.append(f"answered by node id {fulfilled.fields['node']}, not an honest node")
        receipt = self.r.chain.rpc.call("eth_getTransactionReceipt", fulfilled.tx)
        used, price = int(receipt["gasUsed"], 16), int(receipt["effectiveGasPrice"], 16)
        items = len(self.ev.in_tx(fulfilled.tx, "Fulfilled"))
        settled = self.ev.first("Settled", g.request_id)
        share = settled.fields["executorAmount"] if settled else 0
        if settled is None:
            bad.append("not settled")
        elif share < g.callback_gas * g.gas_price:
            bad.append(f"executor share {share} wei below the callback's {g.callback_gas} gas at {g.gas_price} wei")
        elif share < used * g.gas_price:
            bad.append(f"executor share {share} wei below its transaction's {used} gas at {g.gas_price} wei")
        detail = (f"requestFee for {g.callback_gas} callback gas {eth(g.required)} (one wei less refused); answered "
                  f"status {fulfilled.fields['status']} by node id {fulfilled.fields['node']}, callbackOk "
                  f"{fulfilled.fields['callbackOk']}, its transaction {used} gas"
                  + (f" ({items} results in it)" if items > 1 else "")
                  + f"; executor share {eth(share)} >= {eth(used * g.gas_price)} at gasPrice {g.gas_price} wei; "
                  f"actual cost at the effective {price} wei: {eth(used * price)}"
                  + (" (not covered)" if used * price > share else ""))
        return Check("callback gas paid by the requester", not bad, detail + "".join(f"; {b}" for b in bad))

    def absent_jurors(self) -> Check:
        """Jurors that never vote are slashed once per seat, every dispute still resolves, and no cheater is
        paid for a result it lost."""
        bad, seats = [], {}
        for node in self.r.cast.absentees:
            seated = sum(list(e.fields["jurors"]).count(node) for e in self.ev.named("JurorsDrawn"))
            slashed = [e for e in self.slashed({node}) if e.fields["reason"] == JUROR_ABSENT]
            seats[node] = seated
            if self.ev.named("Voted", juror=node):
                bad.append(f"node id {node} voted")
            if len(slashed) != seated:
                bad.append(f"node id {node}: {seated} seats, {len(slashed)} absent-juror slashes")
        if not any(seats.values()):
            bad.append("no absentee was ever drawn as a juror")
        unresolved = [short(i) for i in self.opened if i not in self.resolved]
        if unresolved:
            bad.append(f"unresolved: {', '.join(unresolved)}")
        lost = {i for i, e in self.resolved.items() if e.fields["executorLost"]}
        paid = [short(e.fields["id"]) for e in self.ev.named("Settled") if e.fields["id"] in lost]
        operator = self.r.cast.cheater.wallet.address.lower()
        shares = [e for e in self.ev.named("Credited") if e.fields["account"].lower() == operator
                  and e.fields["reason"] in (SLASH_SHARE, BOND_RETURN)]
        if paid or shares:
            bad.append(f"cheater paid: settled {paid}, {len(shares)} slash shares or bonds")
        colluder = self.r.cast.colluder.node_id
        detail = (f"seats held by jurors that never vote: {seats} (colluder id {colluder}); "
                  f"{len(self.resolved)} of {len(self.opened)} disputes resolved; the cheater was paid for none it lost")
        return Check("absent jurors slashed, disputes resolved, cheater unpaid", not bad,
                     detail + "".join(f"; {b}" for b in bad))

    def wages(self) -> int:
        """What the colluder's node was paid for honest work (fees, verifier fees, slash shares): no gain from attacks."""
        operator = self.r.cast.colluder.wallet.address.lower()
        return sum(e.fields["amount"] for e in self.ev.named("Credited") if e.fields["account"].lower() == operator
                   and e.fields["reason"] in (FEE, VERIFIER_FEE, SLASH_SHARE))

    @cached_property
    def gains(self) -> dict[str, int]:
        """Each attacker's gain in wei (adversary_attacks.attacker_money), read once."""
        return attacker_money(self.r.chain, self.r.deployment, self.r.attacks, self.r.cast.colluder.node_id,
                              self.wages())

    def profit(self) -> Check:
        """The attackers end with no more than they started with (balances, credits, the colluder's stake)."""
        gains = self.gains
        total = sum(gains.values())
        detail = (", ".join(f"{role} {eth(g)}" for role, g in gains.items())
                  + f"; colluder's wages for honest work left out: {eth(self.wages())}")
        return Check("attackers do not profit", total <= 0, f"profit {eth(total)}: {detail}")
