"""A sampled verifier that is offline when its verification is due: once the verification window is over,
another node's keeper reports it (`Arbiter.reportSilence`), once per result, and the arbiter slashes it
(reason 4, absentSlashBps of its stake); results verified in time and results of other verifiers are
never reported. Real `cloister` nodes on the local chain."""
from __future__ import annotations

import re
import time
import urllib.request
from contextlib import ExitStack

import pytest
from cloister_chain import view

from devnet.accounts import make_wallet, operator_account
from devnet.adversary import set_params
from devnet.adversary_events import ChainEvents
from devnet.adversary_waits import Outstanding
from devnet.network import SEED, dev_network, draws_in_force
from devnet.nodes import Node
from devnet.traffic import Sender, plan

pytestmark = pytest.mark.node_e2e
VERIFIER_SILENT = 4  # Slashed reason
WINDOW = 20  # verifyWindowBlocks: short, so the test mines past it at once
METRIC = re.compile(r'^cloister_keeper_transactions_total\{action="reportSilence"\} (\d+)$', re.M)


def wait_for(chain, condition, what: str, timeout: float = 120.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        chain.rpc.call("evm_mine")
        time.sleep(0.5)


def reports_sent(node: Node) -> int:
    with urllib.request.urlopen(node.url + "/metrics", timeout=5) as response:
        found = METRIC.search(response.read().decode())
    return int(found.group(1)) if found else 0


def test_a_silent_sampled_verifier_is_reported_once_and_slashed(tmp_path):
    with dev_network(tmp_path, node_count=0) as net, ExitStack() as stack:
        params = set_params(net.chain, net.deployment, {"verifyBps": 10000, "verifyWindowBlocks": WINDOW,
                                                        "challengeWindow": 600})
        nodes = []
        for index in range(3):
            folder = tmp_path / f"node-{index}"
            wallet = make_wallet(net.cloister, folder, "operator", operator_account(index))
            node = stack.enter_context(Node(index, net.cloister, net.chain, net.deployment.path, wallet, folder, SEED, 0))
            node.register(net.committee.url)
            nodes.append(node)
        draws_in_force(net.chain)  # verifiers are drawn from the previous epoch's stakes
        for node in nodes:
            node.start()
        silent, others = nodes[2], nodes[:2]
        silent.stop()  # registered and staked, drawn as verifier, but never answers
        stake_before = view(net.chain.rpc, net.deployment.core, "nodes", silent.node_id)[3]

        events = ChainEvents(net.chain, net.deployment)
        outstanding = Outstanding(net.chain, net.deployment, events, {silent.node_id})
        sender = Sender(net.chain, net.deployment)
        sampled: dict[bytes, int] = {}  # answered request -> its sampled verifier
        for planned in plan(16, malformed=0, seed=11):
            sent = sender.send(planned)
            if events.poll().first("Requested", sent.id).fields["node"] == silent.node_id:
                continue  # assigned to the stopped node: never answered, nothing to verify
            wait_for(net.chain, lambda: events.poll().first("Fulfilled", sent.id) is not None, "the result")
            wait_for(net.chain, lambda: outstanding.sampled_verifier(events.first("Fulfilled", sent.id)) is not None,
                     "the block after the fulfilment")
            sampled[sent.id] = outstanding.sampled_verifier(events.first("Fulfilled", sent.id))
            if sum(1 for v in sampled.values() if v == silent.node_id) >= 2 and len(sampled) >= 4:
                break
        expected = {i for i, v in sampled.items() if v == silent.node_id}
        assert expected, f"the stopped node was sampled for none of {len(sampled)} results; try another seed"
        assert set(sampled.values()) <= {n.node_id for n in nodes}, "every result had a sampled verifier"
        wait_for(net.chain, lambda: {i for i in sampled if i not in expected} <= set(events.poll().by_id("Verified")),
                 "the running verifiers to confirm their results")

        net.chain.rpc.call("anvil_mine", hex(WINDOW + 1))  # past every verification window, well within 256 blocks
        wait_for(net.chain, lambda: set(events.poll().by_id("SilentVerifier")) >= expected,
                 f"{len(expected)} silence reports")
        time.sleep(2)  # a second report of the same result, if a keeper sent one, would be mined by now
        net.chain.rpc.call("evm_mine")
        reports = events.poll().named("SilentVerifier")
        assert sorted(r.fields["id"] for r in reports) == sorted(expected), "exactly the silent verifier's results"
        assert all(r.fields["verifier"] == silent.node_id for r in reports)

        slashes = events.named("Slashed")
        assert [s.fields["node"] for s in slashes] == [silent.node_id] * len(expected), "only the silent node lost stake"
        assert all(s.fields["reason"] == VERIFIER_SILENT for s in slashes)
        stake = view(net.chain.rpc, net.deployment.core, "nodes", silent.node_id)[3]
        assert stake_before - stake == sum(s.fields["amount"] for s in slashes)
        assert slashes[0].fields["amount"] == stake_before * params["absentSlashBps"] // 10000

        operators = {n.wallet.address.lower() for n in others}
        senders = {net.chain.rpc.call("eth_getTransactionByHash", r.tx)["from"].lower() for r in reports}
        assert senders <= operators, "the running nodes reported, not the test"
        sent_reports = [reports_sent(n) for n in others]
        assert sum(sent_reports) >= len(expected), f"reportSilence transactions counted by the nodes: {sent_reports}"
        assert all(count <= len(expected) for count in sent_reports), f"at most one report per result: {sent_reports}"
