"""Settlement of fulfilled requests: time travel past the windows, then either wait for the nodes, which
settle their own results (`await_settlement`), or settle from a dev account (`settle`, `settleBatch` 32 at
a time) when no `cloister` node runs.

The Request tuple comes from the `Requested` event, the Fulfilment tuple from the `Fulfilled` log
(its block and `fulfilledAt`), with state VERIFIED and the verifier's id where the arbiter logged a
`Verified` event. A batch that reverts, and any item a batch skipped, is retried one `settle` at a time to
name the failing request.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import eth_abi
from cloister_chain import RpcError, Signer, TransactionFailed, view
from eth_utils import keccak

from .chain import Chain
from .deployment import Deployment
from .observer import Fulfilment, topic

BATCH = 32  # the contract's MAX_BATCH
FULFILLED, VERIFIED = 1, 2


@dataclass
class Settlement:
    settled: dict[bytes, dict] = field(default_factory=dict)  # id -> Settled fields
    failed: dict[bytes, str] = field(default_factory=dict)  # id -> revert reason


def request_tuple(requested: dict) -> tuple:
    """The Request the core hashed, rebuilt from a `Requested` event's fields."""
    recipients = list(requested["recipients"])
    recipients_hash = keccak(eth_abi.encode(["uint256[]"], [recipients])) if recipients else b"\x00" * 32
    return (requested["id"], requested["requester"], requested["model"], keccak(requested["input"]),
            requested["callback"], requested["callbackGas"], requested["fee"], requested["deadline"],
            requested["node"], recipients_hash)


def fulfilment_tuple(fulfilment: Fulfilment, verifier: int | None) -> tuple:
    state = VERIFIED if verifier else FULFILLED
    return (fulfilment.commitment, fulfilment.block, fulfilment.fulfilled_at, state, verifier or 0, fulfilment.status,
            fulfilment.params_version)


def pass_windows(chain: Chain, deployment: Deployment) -> None:
    """Moves the chain past every fulfilment's challenge window and verification window."""
    params = deployment.params()
    chain.advance(params["challengeWindow"] + 1, params["verifyWindowBlocks"] + 1)


def verified(chain: Chain, deployment: Deployment) -> dict[bytes, int]:
    """Request id -> verifier node id, for every result the arbiter confirmed."""
    logs = chain.rpc.call("eth_getLogs", {"address": deployment.arbiter.address, "fromBlock": hex(deployment.block),
                                          "toBlock": "latest", "topics": [topic(deployment.arbiter, "Verified")]})
    return {bytes.fromhex(log["topics"][1][2:]): int(log["topics"][2], 16) for log in logs}


def settle(chain: Chain, deployment: Deployment, signer: Signer, entries: list[tuple[dict, Fulfilment]]) -> Settlement:
    """Settles every (Requested fields, first Fulfilment) pair; the windows must already be over."""
    confirmed = verified(chain, deployment)
    pairs = [(request_tuple(req), fulfilment_tuple(ful, confirmed.get(req["id"]))) for req, ful in entries]
    result = Settlement()
    for start in range(0, len(pairs), BATCH):
        chunk = pairs[start:start + BATCH]
        try:
            receipt = signer.transact(deployment.core, "settleBatch", [r for r, _ in chunk], [f for _, f in chunk])
            record(deployment, receipt, result)
        except (TransactionFailed, RpcError):
            pass
        # settleBatch skips an item that is not as given (already settled, disputed, unknown): each one
        # left is tried alone, so that its revert reason is named.
        for req, ful in chunk:
            if req[0] in result.settled:
                continue
            try:
                record(deployment, signer.transact(deployment.core, "settle", req, ful), result)
            except (TransactionFailed, RpcError) as error:
                result.failed[req[0]] = str(error)
    return result


def await_settlement(chain: Chain, deployment: Deployment, ids: list[bytes], timeout: float = 90.0,
                     mine_every: float = 2.0) -> Settlement:
    """Waits until every request in `ids` has a `Settled` event (the nodes settle their own results once
    the windows are over, judged by the latest block, so an empty block is mined every `mine_every` s);
    what is still unsettled at `timeout` is reported in `failed`."""
    result = Settlement()
    wanted = set(ids)
    deadline = time.monotonic() + timeout
    last_mined = 0.0
    while True:
        logs = chain.rpc.call("eth_getLogs", {"address": deployment.core.address, "fromBlock": hex(deployment.block),
                                              "toBlock": "latest", "topics": [topic(deployment.core, "Settled")]})
        for name, fields in deployment.core.events({"logs": logs}):
            if name == "Settled" and fields["id"] in wanted:
                result.settled[fields["id"]] = fields
        if len(result.settled) == len(wanted) or time.monotonic() > deadline:
            break
        if time.monotonic() - last_mined > mine_every:
            chain.rpc.call("evm_mine")
            last_mined = time.monotonic()
        time.sleep(0.3)
    for request_id in wanted - set(result.settled):
        result.failed[request_id] = f"no Settled event within {timeout:.0f} s"
    return result


def record(deployment: Deployment, receipt: dict, result: Settlement) -> None:
    for name, fields in deployment.core.events(receipt):
        if name == "Settled":
            result.settled[fields["id"]] = fields


def credits(chain: Chain, deployment: Deployment, addresses: list[str]) -> dict[str, int]:
    """What each address may withdraw from the core (`credits`), in wei."""
    return {a: view(chain.rpc, deployment.core, "credits", a) for a in addresses}
