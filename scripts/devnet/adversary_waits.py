"""What the nodes still owe the adversarial run, read from the chain's events, and waiting for it.

The nodes verify, judge and correct on their own; the scenario only waits (and moves the clock when a
window must close). Each `Outstanding` method lists the request ids still waiting.
"""
from __future__ import annotations

import time
from collections.abc import Callable

from .adversary_events import ChainEvents, Event
from .chain import Chain
from .deployment import Deployment
from .settlement import FULFILLED, request_tuple


def wait(done: Callable[[], bool], timeout: float, every: float = 0.5,
         report: Callable[[], None] | None = None) -> bool:
    """Calls `done()` every `every` s until it is true (returns True) or `timeout` s passed (False);
    `report()` runs after every call (e.g. to print progress)."""
    deadline = time.monotonic() + timeout
    while True:
        finished = done()
        if report:
            report()
        if finished:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(every)


class Outstanding:
    """Results, verifications and dispute steps that have not happened yet."""

    def __init__(self, chain: Chain, deployment: Deployment, events: ChainEvents, offline: set[int]):
        self.chain, self.deployment, self.events = chain, deployment, events
        self.offline = offline  # node ids that are not running: nobody waits for them
        self._sampled: dict[bytes, int] = {}

    def requested(self, request_id: bytes) -> dict:
        return self.events.first("Requested", request_id).fields

    def sampled_verifier(self, fulfilled: Event) -> int | None:
        """The verifier the arbiter sampled for a result, read at the block after its fulfilment, when the
        sample became known (None while that block does not exist)."""
        request_id = fulfilled.fields["id"]
        if request_id not in self._sampled:
            if self.chain.block_number() <= fulfilled.block:
                return None
            self._sampled[request_id] = self.verifier_at(fulfilled, hex(fulfilled.block + 1))
        return self._sampled[request_id]

    def verifier_at(self, fulfilled: Event, block: str) -> int:
        """`Arbiter.sampledVerifier` for a result as of `block` (a hex number or a tag): the draw depends on
        the stakes at that block, so it changes when a stake changes."""
        requested = self.requested(fulfilled.fields["id"])
        arbiter = self.deployment.arbiter
        # protocol v2's Fulfilment ends with the status the executor posted (a decryption failure is never sampled)
        # and the parameter set the result is judged under
        ful = (fulfilled.fields["outputCommitment"], fulfilled.block, fulfilled.fields["fulfilledAt"], FULFILLED, 0,
               fulfilled.fields["status"], fulfilled.fields["paramsVersion"])
        data = arbiter.calldata("sampledVerifier", request_tuple(requested), ful, list(requested["recipients"]))
        return arbiter.decode_output("sampledVerifier", self.chain.rpc.call("eth_call", {"to": arbiter.address,
                                                                                       "data": data}, block))

    def describe(self, request_id: bytes) -> str:
        """A result's sampled verifier at fulfilment and now, for messages."""
        fulfilled = self.events.first("Fulfilled", request_id)
        return (f"0x{request_id.hex()[:12]}… (executor {fulfilled.fields['node']}, verifier sampled at fulfilment "
                f"{self.sampled_verifier(fulfilled)}, now {self.verifier_at(fulfilled, 'latest')})")

    def unfulfilled(self, ids: list[bytes]) -> list[bytes]:
        fulfilled = self.events.by_id("Fulfilled")
        return [i for i in ids if i not in fulfilled]

    def verifications(self, ids: list[bytes]) -> list[bytes]:
        """Results among `ids` with no `Verified`, `DisputeOpened` or `Abstained` yet, whose verification window is
        still open and whose sampled verifier (as the stakes are now) is a running node."""
        fulfilled = self.events.by_id("Fulfilled")
        # a verifier whose own wrap does not open abstains (Arbiter `Abstained`): nothing more comes
        decided = set(self.events.by_id("Verified")) | set(self.events.by_id("DisputeOpened")) | set(
            self.events.by_id("Abstained"))
        params = self.deployment.params()
        head, now = self.chain.block_number(), self.chain.block_timestamp()
        waiting = []
        for request_id in ids:
            if request_id in decided or request_id not in fulfilled:
                continue
            first = fulfilled[request_id][0]
            if head > first.block + params["verifyWindowBlocks"] or \
                    now >= first.fields["fulfilledAt"] + params["challengeWindow"]:
                continue
            verifier = self.verifier_at(first, "latest") if head > first.block else None
            if verifier is None or (verifier != 0 and verifier not in self.offline):
                waiting.append(request_id)
        return waiting

    def disputes(self) -> list[bytes]:
        """Disputes not resolved yet, and overturned results whose corrected output was not delivered."""
        resolved = self.events.by_id("DisputeResolved")
        delivered = self.events.by_id("CorrectedDelivered")
        return [i for i in self.events.by_id("DisputeOpened")
                if i not in resolved or (resolved[i][0].fields["executorLost"] and i not in delivered)]
