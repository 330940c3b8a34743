"""The node end to end under faults: a misbehaving RPC endpoint, and staged reorgs (docs/devchain.md).

One local chain, contracts and committee for the module (scripts/devnet/). The RPC test runs its own
node; the reorg tests share another. Each node exits on chain when it is done with, so that later
requests are never assigned to a node that no longer runs.

- RPC faults and failover: the node's first endpoint is scripts/rpc_fault_proxy.py in front of the chain
  (errors, timeouts, truncated and wrong answers), the second the chain itself. Every request is
  fulfilled exactly once with the engine's output; once the proxy is killed the second endpoint serves
  alone, and `/metrics` counts each endpoint's attempts and failures.
- Staged reorgs, with automine off so that the test decides what each block holds, and a node that acts
  one block deep (confirmations 1). A request's block is orphaned after the node sent its fulfilment
  (not yet mined): the new branch includes the request again before, or after, the node's re-sent
  fulfilment; or it does not include it, and the requester sends another request instead. Then the
  block holding the node's fulfilment is orphaned while the request's block survives. Each outcome is
  read from the canonical chain (events, operator nonce) and from the node's `/v1/jobs/{requestId}`.
"""
from __future__ import annotations

import json
import random
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from contextlib import contextmanager
from typing import NamedTuple

import pytest

from devnet import ROOT
from devnet.accounts import make_wallet, operator_account
from devnet.binary import Cloister
from devnet.network import SEED, Network, dev_network
from devnet.nodes import Node
from devnet.observer import Observer
from devnet.processes import Child
from devnet.scenario import run_traffic
from devnet.traffic import Planned, Sender, canonical_input, plan

pytestmark = pytest.mark.node_e2e

PROXY = ROOT / "scripts" / "rpc_fault_proxy.py"
PROXY_READY = r"rpc_fault_proxy: listening on (http://\S+)"
RPC_METRIC = re.compile(r'^cloister_rpc_(requests|failures|endpoint_benched)\{endpoint="([^"]*)"\} (\S+)$')


@pytest.fixture(scope="module")
def net(tmp_path_factory):
    """Chain, contracts and committee, without nodes (each test brings its own)."""
    with dev_network(tmp_path_factory.mktemp("faults"), node_count=0, cloister=Cloister()) as network:
        yield network


@pytest.fixture(scope="module")
def reorg_node(net):
    """The reorg tests' node: it acts on requests one block deep and confirms its transactions one block deep."""
    with serving_node(net, 1, confirmations=1) as node:
        yield node


@pytest.fixture
def chain(net, reorg_node):
    """Automine off for one test; at its end the operator must have nothing in flight and no nonce gap."""
    with StagedChain(net) as staged:
        yield staged
        assert wait_for(lambda: in_flight(net, reorg_node) == 0, 15, staged.mine), \
            f"operator {reorg_node.wallet.address}: (latest, pending) nonce {net.chain.nonces(reorg_node.wallet.address)}"


# ---- helpers -----------------------------------------------------------------------------------------------


@contextmanager
def serving_node(net: Network, index: int, confirmations: int, **chain_settings):
    """Registers node `index` (operator: dev account index + 1) and runs it for the block; then stops it
    and sends `cloister node exit`, so that later requests go to the nodes that still run. `chain_settings`
    are keys of the node's [chain] table (rpc, request_timeout_ms, …)."""
    folder = net.state_dir / f"node-{index}"
    wallet = make_wallet(net.cloister, folder, "operator", operator_account(index))
    node = Node(index, net.cloister, net.chain, net.deployment.path, wallet, folder, SEED, confirmations,
                chain_settings=chain_settings or None)
    node.register(net.committee.url)
    node.start()
    try:
        yield node
    finally:
        node.stop()
        net.cloister.run(f"node {index} exit", "node", "exit", "--config", node.config)


@contextmanager
def fault_proxy(net: Network, rate: float, seed: int, timeout_delay: float):
    """scripts/rpc_fault_proxy.py in front of the chain with every fault kind; yields (process, URL)."""
    child = Child("rpc fault proxy", [sys.executable, PROXY, "--upstream", net.chain.url, "--port", 0,
                                      "--fault-rate", rate, "--seed", seed, "--timeout-delay", timeout_delay],
                  net.state_dir / "rpc_fault_proxy.log", ready=PROXY_READY)
    url = child.start(timeout=30).group(1)
    try:
        yield child, url
    finally:
        child.stop()


def get_json(url: str):
    """GET `url` as JSON; None on 404."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise


def endpoint_label(url: str) -> str:
    """How the node labels an endpoint in metrics: scheme, host and port only (docs/chain-client.md)."""
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}:{parts.port}"


def rpc_metrics(node: Node) -> dict[str, dict[str, float]]:
    """Endpoint label -> {"requests", "failures", "endpoint_benched"} from the node's /metrics."""
    with urllib.request.urlopen(node.url + "/metrics", timeout=5) as response:
        text = response.read().decode()
    found: dict[str, dict[str, float]] = {}
    for line in text.splitlines():
        match = RPC_METRIC.match(line)
        if match:
            found.setdefault(match.group(2), {})[match.group(1)] = float(match.group(3))
    return found


def job(node: Node, request_id: bytes) -> dict | None:
    """The node's executor job for a request (`GET /v1/jobs/{requestId}`), or None if it has none."""
    jobs = get_json(f"{node.url}/v1/jobs/0x{request_id.hex()}")
    return next((j for j in jobs if j["role"] == "executor"), None) if jobs else None


def job_state(node: Node, request_id: bytes) -> str | None:
    found = job(node, request_id)
    return found["state"] if found else None


def wait_for(condition: Callable[[], bool], timeout: float = 30.0, step: Callable[[], object] = lambda: None) -> bool:
    """Calls `step()` then `condition()` every 0.2 s until the condition holds (True) or `timeout` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while True:
        step()
        if condition():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)


def evidence(node: Node, ids: list[bytes]) -> str:
    """What the node says about these requests, and its last log lines: for a failure message."""
    jobs = "\n".join(f"0x{i.hex()}: {job(node, i)}" for i in ids)
    return f"node jobs:\n{jobs}\nlast lines of {node.child.log_path}:\n{node.child.last_lines(40)}"


def canonical(net: Network) -> Observer:
    """The events on the canonical chain now, read afresh (an orphaned block's logs are not among them)."""
    observer = Observer(net.chain, net.deployment)
    observer.poll()
    return observer


def in_flight(net: Network, node: Node) -> int:
    """The operator's pending minus latest transaction count: 0 when nothing is in flight and no nonce is skipped."""
    latest, pending = net.chain.nonces(node.wallet.address)
    return pending - latest


def assert_fulfilled_once(events: Observer, ids: list[bytes]) -> None:
    """Each id has exactly one `Fulfilled` event among `events`."""
    counts = {"0x" + i.hex(): len(events.fulfilled.get(i, [])) for i in ids}
    assert all(n == 1 for n in counts.values()), {i: n for i, n in counts.items() if n != 1}


def assert_engine_output(net: Network, events: Observer, request_id: bytes, planned: Planned) -> None:
    """The request's one result is an answer (status 0) with the bytes `cloister infer` computes."""
    (result,) = events.fulfilled[request_id]
    assert result.status == 0, f"{planned.task}: status {result.status}, {result.output!r}"
    assert result.output == net.cloister.reference_output(planned.task, planned.payload), planned


class StagedChain:
    """The chain with automine off, so the test decides what each block holds and can stage reorgs with
    `evm_snapshot` / `evm_revert` (docs/devchain.md). Automine is restored on exit."""

    def __init__(self, net: Network):
        self.net = net
        self.rpc = net.chain.rpc
        self.sender = Sender(net.chain, net.deployment)

    def __enter__(self) -> StagedChain:
        self.rpc.call("evm_setAutomine", False)
        return self

    def __exit__(self, *exc) -> None:
        self.rpc.call("evm_setAutomine", True)

    def submit(self, planned: Planned) -> str:
        """Puts the request's transaction in the pool; returns its hash."""
        return self.rpc.call("eth_sendRawTransaction", self.sender.sign(planned))

    def mine(self) -> int:
        """Mines one block with whatever waits in the pool; returns its number."""
        self.rpc.call("evm_mine")
        return self.net.chain.block_number()

    def request_id(self, tx_hash: str, planned: Planned) -> bytes:
        """The id the `Requested` event of a mined request transaction gives."""
        receipt = self.rpc.call("eth_getTransactionReceipt", tx_hash)
        assert receipt is not None and int(receipt["status"], 16) == 1, f"request {planned} not mined: {receipt}"
        return self.sender.sent(planned, receipt, time.monotonic()).id

    def block_hash(self, number: int) -> str:
        return self.rpc.call("eth_getBlockByNumber", hex(number), False)["hash"]

    def snapshot(self) -> str:
        return self.rpc.call("evm_snapshot")

    def revert(self, snapshot: str) -> None:
        assert self.rpc.call("evm_revert", snapshot) is True


def states_become(node: Node, chain: StagedChain, state: str, ids: list[bytes], timeout: float = 20.0,
                  mining: bool = True) -> bool:
    """Whether the node's jobs for `ids` all reach `state` within `timeout` s (a block mined every 0.2 s if `mining`)."""
    return wait_for(lambda: all(job_state(node, i) == state for i in ids), timeout, chain.mine if mining else lambda: None)


class Orphaned(NamedTuple):
    request_id: bytes
    raw: str  # the request's signed transaction, to include it again
    block_hash: str  # the orphaned block that held it


def orphan_after_submission(node: Node, chain: StagedChain, planned: Planned, in_fork_pool: bool) -> Orphaned:
    """Mines `planned` in a block, then one more so that the node sends its fulfilment (left in the pool),
    then reverts to before the request's block. With `in_fork_pool` the request waits in the pool again
    (the snapshot was taken after it was sent), else it is in no block and no pool."""
    raw = chain.sender.sign(planned)
    if not in_fork_pool:
        fork = chain.snapshot()
    tx = chain.rpc.call("eth_sendRawTransaction", raw)
    if in_fork_pool:
        fork = chain.snapshot()
    block_hash = chain.block_hash(chain.mine())
    request_id = chain.request_id(tx, planned)
    chain.mine()  # one confirmation: the node acts
    assert states_become(node, chain, "submitted", [request_id], mining=False), evidence(node, [request_id])
    chain.revert(fork)
    assert chain.rpc.call("eth_getTransactionReceipt", tx) is None
    return Orphaned(request_id, raw, block_hash)


# ---- tests -------------------------------------------------------------------------------------------------


def test_rpc_faults_then_the_second_endpoint_takes_over_when_the_first_dies(net):
    """A fault in one request in five, of every kind; a `timeout` stalls 3 s, past the node's 2 s per call.
    Seed 127's schedule has no three faults in a row in its first 1,200 draws: the node benches an endpoint
    after three failures in a row (for 30 s), so with it the proxy stays the node's first choice and its
    faults keep hitting the node's calls, which are retried at the second endpoint."""
    rng = random.Random(41)
    with fault_proxy(net, rate=0.2, seed=127, timeout_delay=3.0) as (proxy, proxy_url), \
            serving_node(net, 0, confirmations=0, rpc=[proxy_url, net.chain.url], request_timeout_ms=2000) as node:
        first = run_traffic(net, plan(30, malformed=0, seed=41), timeout=90, stall=45)
        stats = get_json(proxy_url + "/stats")
        faults = {kind: n for kind, n in stats["faults"].items() if n}
        assert len(faults) >= 6, f"the proxy injected too few kinds of fault to mean anything: {stats}"
        events = canonical(net)
        assert_fulfilled_once(events, first.ids)
        for sent in rng.sample([s for s in first.sent if s.planned.via == "direct"], 2):
            assert_engine_output(net, events, sent.id, sent.planned)

        proxy.kill()  # the first endpoint dies
        second = run_traffic(net, plan(6, malformed=0, seed=42), timeout=60, stall=30)
        events = canonical(net)
        assert_fulfilled_once(events, first.ids + second.ids)
        for sent in second.sent[:2]:
            assert_engine_output(net, events, sent.id, sent.planned)
        assert wait_for(lambda: all(job_state(node, i) == "confirmed" for i in first.ids + second.ids), 10), \
            evidence(node, [i for i in first.ids + second.ids if job_state(node, i) != "confirmed"])

        dead, alive = endpoint_label(proxy_url), endpoint_label(net.chain.url)
        before = rpc_metrics(node)[alive]["requests"]
        assert wait_for(lambda: rpc_metrics(node)[alive]["requests"] > before and
                        rpc_metrics(node)[dead]["endpoint_benched"] == 1, timeout=15), rpc_metrics(node)
        metrics = rpc_metrics(node)
        assert metrics[dead]["failures"] > 0, metrics
        assert metrics[alive]["requests"] > 0 and metrics[alive]["endpoint_benched"] == 0, metrics
        assert wait_for(lambda: in_flight(net, node) == 0, 10), f"operator {node.wallet.address}: a nonce gap"


def test_reorg_request_reincluded_before_the_nodes_resent_fulfilment(net, reorg_node, chain):
    """The orphaned request is first in the new branch's pool: the node's re-sent fulfilment follows it."""
    node, planned = reorg_node, Planned("embed", canonical_input("embed", random.Random(51)), "direct")
    orphaned = orphan_after_submission(node, chain, planned, in_fork_pool=True)
    request_id = orphaned.request_id
    assert states_become(node, chain, "confirmed", [request_id]), evidence(node, [request_id])
    events = canonical(net)
    assert chain.block_hash(events.requested[request_id]["block"]) != orphaned.block_hash
    assert_fulfilled_once(events, [request_id])
    assert_engine_output(net, events, request_id, planned)


def test_reorg_request_reincluded_after_the_nodes_resent_fulfilment(net, reorg_node, chain):
    """The node's re-sent fulfilment is mined on the new branch before the request comes back (and reverts
    there: the request is not pending yet); then the request is included again, unchanged. It is pending,
    assigned to this node, and must still be fulfilled once."""
    node, planned = reorg_node, Planned("similarity", canonical_input("similarity", random.Random(52)), "direct")
    orphaned = orphan_after_submission(node, chain, planned, in_fork_pool=False)
    request_id = orphaned.request_id
    assert wait_for(lambda: in_flight(net, node) == 1, 10), "the node did not send its fulfilment again"
    chain.mine()
    chain.rpc.call("eth_sendRawTransaction", orphaned.raw)
    chain.mine()
    assert canonical(net).requested[request_id]["node"] == node.node_id  # pending again, assigned to this node
    assert states_become(node, chain, "confirmed", [request_id]), evidence(node, [request_id])
    events = canonical(net)
    assert_fulfilled_once(events, [request_id])
    assert_engine_output(net, events, request_id, planned)


def test_reorg_request_not_reincluded_the_node_serves_the_next_ones(net, reorg_node, chain):
    """The orphaned request never comes back. The requester's next request gets its id (same requester,
    same request counter: an id names one request on one branch only) and another requester's does not;
    both must be served, and the orphaned request's result must not appear."""
    node, rng = reorg_node, random.Random(53)
    dropped = Planned("similarity", canonical_input("similarity", rng), "direct")
    dropped_id = orphan_after_submission(node, chain, dropped, in_fork_pool=False).request_id
    reused, fresh = (Planned("classify", canonical_input("classify", rng), via) for via in ("direct", "consumer"))
    txs = [chain.submit(planned) for planned in (reused, fresh)]
    chain.mine()
    reused_id, fresh_id = (chain.request_id(tx, planned) for tx, planned in zip(txs, (reused, fresh)))
    assert reused_id == dropped_id != fresh_id
    assert canonical(net).requested[reused_id]["node"] == node.node_id

    assert states_become(node, chain, "confirmed", [fresh_id]), evidence(node, [fresh_id])
    served = states_become(node, chain, "confirmed", [reused_id])
    events = canonical(net)
    dropped_output = net.cloister.reference_output(dropped.task, dropped.payload)
    assert all(f.output != dropped_output for f in events.fulfilled.get(dropped_id, [])), \
        "the orphaned request's result is on the surviving chain"
    assert_fulfilled_once(events, [fresh_id])
    assert_engine_output(net, events, fresh_id, fresh)
    assert served, evidence(node, [reused_id])
    assert_fulfilled_once(events, [reused_id])
    assert_engine_output(net, events, reused_id, reused)


def test_reorg_fulfilment_orphaned_the_request_is_fulfilled_once_on_the_surviving_chain(net, reorg_node, chain):
    """The block holding the node's fulfilment is orphaned; the request's block, below it, survives."""
    node, planned = reorg_node, Planned("classify", canonical_input("classify", random.Random(54)), "consumer")
    tx = chain.submit(planned)
    request_block = chain.mine()
    request_id = chain.request_id(tx, planned)
    fork = chain.snapshot()
    chain.mine()  # one confirmation: the node acts
    assert states_become(node, chain, "submitted", [request_id], mining=False), evidence(node, [request_id])
    fulfilment_block = chain.mine()
    assert states_become(node, chain, "included", [request_id], mining=False), evidence(node, [request_id])
    assert [f.block for f in canonical(net).fulfilled[request_id]] == [fulfilment_block]
    chain.revert(fork)
    assert states_become(node, chain, "confirmed", [request_id]), evidence(node, [request_id])
    events = canonical(net)
    assert events.requested[request_id]["block"] == request_block
    assert_fulfilled_once(events, [request_id])
    assert_engine_output(net, events, request_id, planned)
    assert events.answered[request_id] == [0]  # the consumer's callback ran once, on the surviving chain
