"""The chaos campaign judged from the final chain: every request that exists there fulfilled exactly once
and settled, none lost (a timeout refund counts as lost), no operator with a nonce gap or a transaction
stuck in the pool, no node slashed (every node is honest), the ledger balanced; and the summary line.
"""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from .adversary_events import ChainEvents
from .adversary_ledger import ledger_problems
from .chain import Chain
from .deployment import Deployment
from .nodes import Node

REASONS = {1: "timeout", 2: "dispute lost", 3: "juror absent", 4: "verifier silent"}


def short(request_id: bytes) -> str:
    return f"0x{request_id.hex()[:12]}…"


@dataclass
class OperatorNonces:
    address: str
    latest: int
    pending: int
    pooled: dict[str, list[int]]  # "pending"/"queued" -> nonces of the operator waiting in the pool

    @property
    def gap(self) -> bool:
        return self.latest != self.pending or any(self.pooled.values())

    def describe(self) -> str:
        waiting = "; ".join(f"{kind} nonces {nonces}" for kind, nonces in self.pooled.items() if nonces)
        return (f"operator {self.address}: latest nonce {self.latest}, pending {self.pending}"
                + (f"; in the pool: {waiting}" if waiting else ""))


def operator_nonces(chain: Chain, address: str) -> OperatorNonces:
    latest, pending = chain.nonces(address)
    content = chain.rpc.call("txpool_content")
    pooled = {kind: sorted(int(n) for n in content[kind].get(address.lower(), {})) for kind in ("pending", "queued")}
    return OperatorNonces(address, latest, pending, pooled)


@dataclass
class Verdict:
    kills: int
    reorgs: int
    max_depth: int
    fault_percent: float
    requests: int
    fulfilled_once: int
    settled: int
    lost: int
    gaps: int
    slashed: int
    failures: list[str] = field(default_factory=list)  # what failed, most important first
    notes: list[str] = field(default_factory=list)  # what the report says besides

    def line(self) -> str:
        return (f"chaos: {self.kills} kills, {self.reorgs} reorgs (max depth {self.max_depth}), "
                f"{self.fault_percent:.1f}% rpc faults, {self.requests} requests, {self.fulfilled_once} fulfilled "
                f"exactly once, {self.settled} settled, {self.lost} lost, {self.gaps} nonce gaps, "
                f"honest slashed {self.slashed}")


def describe_job(job: dict) -> str:
    text = f"{job.get('role')} {job.get('state')} (observed in block {job.get('observedInBlock')}"
    if job.get("transactionNonce") is not None:
        text += f", transaction nonce {job['transactionNonce']}"
    if job.get("failureReason"):
        text += f", failure: {str(job['failureReason'])[:200]}"
    return text + ")"


def job_of(node: Node, request_id: bytes) -> str:
    """What the node says about a request (`GET /v1/jobs/{id}`), for evidence."""
    try:
        with urllib.request.urlopen(f"{node.url}/v1/jobs/0x{request_id.hex()}", timeout=5) as response:
            jobs = json.loads(response.read())
        return ", ".join(describe_job(j) for j in jobs) or "no job"
    except urllib.error.HTTPError as error:
        return "no job" if error.code == 404 else f"HTTP {error.code}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        return f"not answering ({error})"


def log_lines(node: Node, request_id: bytes, count: int = 3) -> list[str]:
    """The node log's last lines naming the request."""
    needle = request_id.hex()[:16]
    try:
        with open(node.child.log_path, errors="replace") as log:
            found = [line.rstrip() for line in log if needle in line]
    except FileNotFoundError:
        return []
    return [line[:300] for line in found[-count:]]


def log_digest(node: Node, most: int = 4) -> str:
    """The node log's warnings and errors by message (without their key=value fields), most frequent first."""
    counts: dict[str, int] = {}
    try:
        with open(node.child.log_path, errors="replace") as log:
            for line in log:
                parts = line.split(" ", 3)
                if len(parts) == 4 and parts[1] in ("warning", "error", "critical"):
                    message = parts[3].split("] ", 1)[-1].strip()
                    counts[f"{parts[1]} {message}"] = counts.get(f"{parts[1]} {message}", 0) + 1
    except FileNotFoundError:
        return "no log"
    ranked = sorted(counts.items(), key=lambda item: -item[1])[:most]
    return "; ".join(f"{n}x {message[:120]}" for message, n in ranked) or "no warnings"


def judge(chain: Chain, deployment: Deployment, nodes: list[Node], operators: list[OperatorNonces],
          kills: int, reorgs: list[dict], fault_percent: float) -> Verdict:
    """Reads every event afresh from the final chain and checks the campaign's properties. The nodes must
    still run (the evidence for a lost request includes what its node says about it)."""
    events = ChainEvents(chain, deployment).poll()
    requested = {e.fields["id"]: e for e in events.named("Requested")}
    fulfilled, settled = events.by_id("Fulfilled"), events.by_id("Settled")
    refunded = events.by_id("Refunded")
    by_node_id = {n.node_id: n for n in nodes}
    once = [i for i in requested if len(fulfilled.get(i, [])) == 1]
    lost = [i for i in requested if i not in fulfilled or i in refunded]
    settled_ids = [i for i in requested if len(settled.get(i, [])) == 1]
    slashes = events.named("Slashed")
    verdict = Verdict(kills, len(reorgs), max((r["depth"] for r in reorgs), default=0), fault_percent,
                      len(requested), len(once), len(settled_ids), len(lost), sum(o.gap for o in operators),
                      len(slashes))
    failures = verdict.failures
    if not requested:
        failures.append("no request exists on the final chain")
    for request_id in lost:
        fields = requested[request_id].fields
        node = by_node_id.get(fields["node"])
        how = "refunded after its deadline" if request_id in refunded else "never fulfilled"
        evidence = f"node {node.index} says: {job_of(node, request_id)}" if node else "no such node"
        lines = log_lines(node, request_id) if node else []
        failures.append(f"lost: request 0x{request_id.hex()} (block {requested[request_id].block}, node id "
                        f"{fields['node']}): {how}; {evidence}" + "".join(f"\n    log: {line}" for line in lines))
    for request_id in requested:
        count = len(fulfilled.get(request_id, []))
        if count > 1:
            blocks = [e.block for e in fulfilled[request_id]]
            failures.append(f"fulfilled {count} times: request 0x{request_id.hex()} (blocks {blocks})")
    for request_id in requested:
        if request_id in fulfilled and request_id not in refunded and len(settled.get(request_id, [])) != 1:
            first = fulfilled[request_id][0]
            node = by_node_id.get(first.fields["node"])
            evidence = f"; node {node.index} says: {job_of(node, request_id)}" if node else ""
            failures.append(f"not settled: request 0x{request_id.hex()} (fulfilled in block {first.block} by node id "
                            f"{first.fields['node']}, {len(settled.get(request_id, []))} Settled events){evidence}")
    for operator in operators:
        if operator.gap:
            failures.append(f"nonce gap: {operator.describe()}")
    for slash in slashes:
        failures.append(f"honest node slashed: node id {slash.fields['node']} "
                        f"({REASONS.get(slash.fields['reason'], slash.fields['reason'])}, {slash.fields['amount']} wei, "
                        f"block {slash.block})")
    for node in nodes:
        verdict.notes.append(f"node {node.index} (id {node.node_id}) log: {log_digest(node)}")
    problems, summary = ledger_problems(chain, deployment, events)
    failures.extend(f"ledger: {p}" for p in problems)
    verdict.notes.append(f"ledger: {summary}")
    return verdict
