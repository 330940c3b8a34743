"""Every event of the core, the arbiter and the example consumer, decoded, read with `eth_getLogs` as blocks come.

The adversarial scenario waits on these and judges the run from them: requests and results, sampling
and disputes, slashing, credits and withdrawals.
"""
from __future__ import annotations

from dataclasses import dataclass

from .chain import Chain
from .deployment import Deployment


@dataclass(frozen=True)
class Event:
    name: str
    fields: dict
    block: int
    tx: str


class ChainEvents:
    """The decoded events from the deployment block on; `poll()` reads the blocks mined since the last one."""

    def __init__(self, chain: Chain, deployment: Deployment):
        self.chain = chain
        self._contracts = {c.address.lower(): c for c in (deployment.core, deployment.arbiter, deployment.consumer)}
        self._next_block = deployment.block
        self.all: list[Event] = []

    def poll(self) -> ChainEvents:
        head = self.chain.block_number()
        if head >= self._next_block:
            logs = self.chain.rpc.call("eth_getLogs", {"address": list(self._contracts), "toBlock": hex(head),
                                                       "fromBlock": hex(self._next_block)})
            for log in logs:
                contract = self._contracts[log["address"].lower()]
                for name, fields in contract.events({"logs": [log]}):
                    self.all.append(Event(name, fields, int(log["blockNumber"], 16), log["transactionHash"]))
            self._next_block = head + 1
        return self

    def named(self, name: str, **match) -> list[Event]:
        """The events called `name` whose fields equal `match`, oldest first."""
        return [e for e in self.all if e.name == name and all(e.fields.get(k) == v for k, v in match.items())]

    def by_id(self, name: str) -> dict[bytes, list[Event]]:
        """Events called `name` grouped by their `id` field (a request id)."""
        grouped: dict[bytes, list[Event]] = {}
        for event in self.named(name):
            grouped.setdefault(event.fields["id"], []).append(event)
        return grouped

    def first(self, name: str, request_id: bytes) -> Event | None:
        return next((e for e in self.all if e.name == name and e.fields.get("id") == request_id), None)

    def in_tx(self, tx: str, name: str) -> list[Event]:
        return [e for e in self.all if e.tx == tx and e.name == name]
