"""The node end to end: a local chain, the contracts, the committee and two `cloister node run` processes
(one network for the module), driven by the dev network library (scripts/devnet/).

- 200 requests across two nodes: each fulfilled exactly once, callbacks delivered, fees settled.
- Crash safety: one node SIGKILLed five times at random moments while requests flow, restarted with
  the same configuration: every request is still fulfilled exactly once and its operator has no
  transaction left hanging.
- Malformed requests come back as error results on chain, and the requests around them are served
  with the bytes `cloister infer` computes.
"""
from __future__ import annotations

import random
from collections import Counter
import subprocess
import threading
import time

import eth_abi
import pytest
from eth_utils import function_signature_to_4byte_selector

from devnet import ROOT
from devnet.binary import Cloister
from devnet.network import dev_network
from devnet.scenario import Run, run_traffic
from devnet.settlement import await_settlement, credits, pass_windows
from devnet.traffic import LABEL_SETS, TEXTS, Planned, canonical_input, plan

pytestmark = pytest.mark.node_e2e


@pytest.fixture(scope="module")
def net(tmp_path_factory):
    cloister = Cloister()
    if not cloister.path.exists():
        subprocess.run(["swift", "build", "--product", "cloister"], cwd=ROOT, check=True, timeout=3600)
    with dev_network(tmp_path_factory.mktemp("devnet"), node_count=2, cloister=cloister) as network:
        yield network


def fulfilled_once(run: Run) -> None:
    missing = Counter(f"{s.planned.task} ({s.planned.via})" for s in run.sent if s.id not in run.observer.fulfilled)
    assert not missing, f"requests without a result: {dict(missing)}"
    counts = {i: len(run.observer.fulfilled[i]) for i in run.ids}
    assert all(n == 1 for n in counts.values()), {"0x" + i.hex(): n for i, n in counts.items() if n != 1}


REQUEST = "(bytes32,address,bytes32,bytes32,address,uint256,uint256,uint256,uint256,bytes32)"
RESULT = "(uint256,bytes,bytes32,bytes32,uint256,uint256,bytes32,bytes32)"
FULFIL = function_signature_to_4byte_selector(f"fulfil({REQUEST},{RESULT})")
FULFIL_BATCH = function_signature_to_4byte_selector(f"fulfilBatch({REQUEST}[],{RESULT}[])")


def gas_bound(calldata: bytes) -> int:
    """The node's gas bound for a fulfilment (CloisterResultEncoder.gasBound), written again from its
    documentation: 40,000 a transaction; per result 45,000 and 40 an output byte; per callback its cap,
    the 1/63 the 63/64 rule keeps back (+1), the contract's 8,000 reserve, 35,000 and 40 an output byte."""
    if calldata[:4] == FULFIL:
        request, result = eth_abi.decode([REQUEST, RESULT], calldata[4:])
        pairs = [(request, result)]
    else:
        assert calldata[:4] == FULFIL_BATCH, calldata[:4].hex()
        requests, results = eth_abi.decode([f"{REQUEST}[]", f"{RESULT}[]"], calldata[4:])
        pairs = list(zip(requests, results))
    bound = 40_000
    for request, result in pairs:
        callback, cap, output = request[4], request[5], result[1]
        bound += 45_000 + 40 * len(output)
        if int(callback, 16) != 0:
            bound += cap + cap // 63 + 1 + 8_000 + 35_000 + 40 * len(output)
    return bound


def test_200_requests_across_two_nodes_are_fulfilled_once_called_back_and_settled(net):
    run = run_traffic(net, plan(200, malformed=0, seed=11), timeout=120, stall=30)
    fulfilled_once(run)
    results = {i: run.observer.fulfilled[i][0] for i in run.ids}
    assert all(r.status == 0 for r in results.values())
    served = {node.node_id: sum(1 for r in results.values() if r.node == node.node_id) for node in net.nodes}
    assert all(n > 0 for n in served.values()), served

    operators = [node.wallet.address for node in net.nodes]
    before = credits(net.chain, net.deployment, operators)
    pass_windows(net.chain, net.deployment)
    settlement = await_settlement(net.chain, net.deployment, run.ids)  # each node settles its own results
    assert settlement.failed == {} and set(settlement.settled) == set(run.ids)
    after = credits(net.chain, net.deployment, operators)
    for node in net.nodes:
        earned = sum(f["executorAmount"] for f in settlement.settled.values() if f["node"] == node.node_id) \
            + sum(f["verifierAmount"] for f in settlement.settled.values() if f["verifier"] == node.node_id)
        assert after[node.wallet.address] - before[node.wallet.address] == earned > 0

    asked = [s.id for s in run.sent if s.planned.via == "consumer"]
    assert len(asked) == 100
    failed_callbacks = sum(1 for i in asked if not results[i].callback_ok)
    assert failed_callbacks == 0, f"{failed_callbacks} of {len(asked)} consumer callbacks failed (callbackOk false)"
    assert all(run.observer.answered.get(i) == [0] for i in asked)  # one callback each, with the label

    # Each fulfilment's gas limit is the node's bound, checked by one simulation, not an estimate's search:
    # recomputed here from the transaction's own calldata, and enough for what it used.
    transactions = {r.tx_hash for r in results.values()}
    bounded = 0
    for tx_hash in transactions:
        tx = net.chain.rpc.call("eth_getTransactionByHash", tx_hash)
        used = int(net.chain.rpc.call("eth_getTransactionReceipt", tx_hash)["gasUsed"], 16)
        limit = int(tx["gas"], 16)
        assert used < limit
        bounded += limit == gas_bound(bytes.fromhex(tx["input"][2:]))
    assert bounded >= 0.9 * len(transactions), f"only {bounded} of {len(transactions)} fulfilments used the bound"


def test_a_node_killed_five_times_still_fulfils_every_request_once(net):
    victim = net.nodes[1]
    rng = random.Random(5)
    crashes = []
    crashed = threading.Condition()
    failure: list[BaseException] = []
    done = threading.Event()

    def crash_and_restart():
        try:
            for _ in range(5):
                if done.wait(rng.uniform(0.5, 2.5)):
                    return
                victim.kill()
                with crashed:
                    crashes.append(victim.child.pid)
                    crashed.notify_all()
                # Down at the wrong moment, a sampled verifier misses its window and is slashed (jailed at the
                # minimum stake): it still runs and must lose nothing, but it is rightly not "ready".
                victim.start(standing=False)
        except BaseException as error:  # reported by the test thread
            failure.append(error)
            with crashed:
                crashed.notify_all()

    def after_each_crash(number: int) -> None:
        # Requests 15, 29, 43, 57 and 71 wait for the next crash, so that every crash has requests sent before
        # it still open and requests after it to serve, however fast the machine answers.
        if number % 14 == 1 and number > 1:
            with crashed:
                if not crashed.wait_for(lambda: len(crashes) >= number // 14 or failure, timeout=120):
                    raise TimeoutError(f"crash {number // 14} did not happen within 120 s")

    killer = threading.Thread(target=crash_and_restart, daemon=True)
    killer.start()
    try:
        run = run_traffic(net, plan(80, malformed=0, seed=12), timeout=120, interval=0.1, stall=30,
                          before_send=after_each_crash)
    finally:
        done.set()
        killer.join()
    assert not failure, failure
    assert len(crashes) == 5, f"only {len(crashes)} crashes happened while requests flowed"
    fulfilled_once(run)
    assert any(run.observer.fulfilled[i][0].node == victim.node_id for i in run.ids)
    latest, pending = net.chain.nonces(victim.wallet.address)
    for _ in range(100):  # a transaction still on its way may be mined in a moment
        if latest == pending:
            break
        time.sleep(0.1)
        latest, pending = net.chain.nonces(victim.wallet.address)
    assert latest == pending, f"operator {victim.wallet.address}: nonce latest {latest}, pending {pending}"


def test_malformed_requests_get_error_results_and_the_others_are_served(net):
    rng = random.Random(13)
    malformed = [
        Planned("classify", rng.randbytes(77), "direct", malformed=True),  # not an ABI encoding at all
        Planned("classify", eth_abi.encode(["string", "string[]"], [TEXTS[0], []]), "consumer", malformed=True),
        Planned("embed", eth_abi.encode(["string"], [""]), "direct", malformed=True),  # no word piece
        Planned("classify", eth_abi.encode(["string", "string[]"], [TEXTS[1], ["spam", "ham", "spam"]]), "direct",
                malformed=True),  # labels not distinct
    ]
    good = [Planned("classify", eth_abi.encode(["string", "string[]"], [TEXTS[2], LABEL_SETS[2]]), "consumer")]
    good += [Planned(task, canonical_input(task, rng), "direct") for task in ("embed", "similarity", "classify")]
    plans = [p for pair in zip(good, malformed) for p in pair]
    run = run_traffic(net, plans, timeout=60, stall=30)
    fulfilled_once(run)
    for sent in run.sent:
        result = run.observer.fulfilled[sent.id][0]
        if sent.planned.malformed:
            assert result.status != 0 and result.output, f"{sent.planned} got status {result.status}"
            result.output.decode()  # the node's error message is text
        else:
            assert result.status == 0, f"{sent.planned.task}: status {result.status}, {result.output!r}"
            assert result.output == net.cloister.reference_output(sent.planned.task, sent.planned.payload)
    for sent in run.sent:
        if sent.planned.via == "consumer":
            assert run.observer.answered[sent.id] == [run.observer.fulfilled[sent.id][0].status]
