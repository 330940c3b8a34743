"""Requests of the adversarial run: distinct inputs, the adversarial plan, and replacing requests nobody answered.

Every request has its own input, so that which requests the cheater gets wrong is a property of the
request (`adversary.wrong_for`), and the plan holds the nominal share of such inputs. A third of the
adversarial requests go through the example consumer, whose callback must end up holding the corrected
answer.
"""
from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field

import eth_abi

from . import DevnetError
from .accounts import DIRECT_REQUESTER
from .adversary import wrong_for
from .adversary_events import ChainEvents
from .binary import TASKS
from .network import Network
from .settlement import request_tuple
from .traffic import LABEL_SETS, TEXTS, Planned, Sender, Sent


class Inputs:
    """Distinct canonical inputs of each task (a text or two texts in a row; pairs of texts; a text and a
    label set; a question for the embedded LLM about a text), in a seeded order; each is handed out once."""

    def __init__(self, seed: int = 7):
        rng = random.Random(seed)
        pairs = list(itertools.permutations(TEXTS, 2))
        texts = TEXTS + [f"{a} {b}" for a, b in pairs]
        candidates = {
            "embed": [eth_abi.encode(["string"], [t]) for t in texts],
            "similarity": [eth_abi.encode(["string", "string"], [a, b]) for a, b in pairs],
            "classify": [eth_abi.encode(["string", "string[]"], [t, labels]) for t in texts for labels in LABEL_SETS],
            "generate": [eth_abi.encode(["string", "uint256", "string[]"], [f"Summarise in five words: {t}", 8, []])
                         for t in texts],
            "score": [eth_abi.encode(["string", "string[]"], [f"Is this about money? {t}", ["yes", "no"]]) for t in texts],
        }
        self.left = {task: rng.sample(inputs, len(inputs)) for task, inputs in candidates.items()}

    def take(self, task: str, accept: Callable[[bytes], bool] = lambda payload: True) -> bytes:
        """The next unused input of `task` that `accept` allows."""
        for position, payload in enumerate(self.left[task]):
            if accept(payload):
                return self.left[task].pop(position)
        raise DevnetError(f"inputs: no unused {task} input left")


def adversarial_plan(inputs: Inputs, count: int, share_bps: int) -> list[Planned]:
    """`count` requests: every third a consumer question (classify), the others direct, cycling the tasks.
    Inputs the cheater's rule selects are spread evenly, `share_bps` of them (rounded down), so that the
    run's share is the nominal one rather than whatever the first inputs happen to give."""
    plans, direct = [], itertools.cycle(TASKS)
    for i in range(count):
        selected = (i + 1) * share_bps // 10000 > i * share_bps // 10000
        task, via = ("classify", "consumer") if i % 3 == 0 else (next(direct), "direct")
        plans.append(Planned(task, inputs.take(task, lambda p: wrong_for(p, share_bps) == selected), via))
    return plans


@dataclass
class Replaced:
    """Requests refunded after their deadline, and the re-sent request of each."""

    refunded: list[bytes] = field(default_factory=list)
    resent: dict[bytes, Sent] = field(default_factory=dict)  # refunded id -> the same input sent again


def replace_unanswered(net: Network, events: ChainEvents, sender: Sender, unanswered: list[Sent],
                       log: Callable[[str], None]) -> Replaced:
    """Moves the clock past the deadlines of `unanswered`, has the requester call `refund` for each (the
    contract credits the fee back and slashes the assigned node for the timeout), and sends each input
    again: the new request is drawn among the nodes still eligible."""
    replaced = Replaced()
    if not unanswered:
        return replaced
    events.poll()
    requested = {s.id: events.first("Requested", s.id).fields for s in unanswered}
    jump = max(r["deadline"] for r in requested.values()) - net.chain.block_timestamp() + 1
    net.chain.advance(max(jump, 1), 1)
    log(f"clock +{jump} s: past the deadline of {len(unanswered)} unanswered request(s)")
    refunder = net.chain.signer(DIRECT_REQUESTER)
    for sent in unanswered:
        receipt = refunder.transact(net.deployment.core, "refund", request_tuple(requested[sent.id]))
        refunded = next(f for name, f in net.deployment.core.events(receipt) if name == "Refunded")
        replaced.refunded.append(sent.id)
        again = sender.send(sent.planned)
        replaced.resent[sent.id] = again
        log(f"refund of 0x{sent.id.hex()[:12]}… (node id {requested[sent.id]['node']}): fee {refunded['fee']} wei "
            f"back, node slashed {refunded['slashed']} wei; re-sent as 0x{again.id.hex()[:12]}…")
    return replaced
