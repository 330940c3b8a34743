"""Voluntary challenges (`[duties] challenge_share_bps`): with sampling off, honest nodes re-execute the
others' results on their own, challenge the wrong ones with the bond, within their budget (ten bonds, so
that it does not bind here), win the
dispute, get the bond back and deliver the corrected output; results they agree with cost nothing."""
from __future__ import annotations

import time
from contextlib import ExitStack

import pytest
from cloister_chain import view

from devnet.accounts import make_wallet, operator_account
from devnet.adversary import set_params
from devnet.binary import adversary_binary
from devnet.network import SEED, dev_network, draws_in_force
from devnet.nodes import Node
from devnet.observer import topic
from devnet.traffic import Sender, plan

pytestmark = pytest.mark.node_e2e
HONEST = 3
BOND_RETURN = 5  # ledger reason


def logs(net, contract, event: str) -> list[dict]:
    found = net.chain.rpc.call("eth_getLogs", {"address": contract.address, "fromBlock": hex(net.deployment.block),
                                               "toBlock": "latest", "topics": [topic(contract, event)]})
    return [fields for name, fields in contract.events({"logs": found}) if name == event]


def wait_for(net, condition, what: str, timeout: float = 150.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        net.chain.rpc.call("evm_mine")
        time.sleep(1.0)


def test_honest_nodes_challenge_a_wrong_result_win_and_get_the_bond_back(tmp_path):
    with dev_network(tmp_path, node_count=0) as net, ExitStack() as stack:
        params = set_params(net.chain, net.deployment, {"verifyBps": 0, "challengeWindow": 600, "jurorWindow": 300,
                                                        "slashBps": 200})
        bond = params["challengeBond"]
        nodes = []
        for index in range(HONEST + 1):
            folder = tmp_path / f"node-{index}"
            wallet = make_wallet(net.cloister, folder, "operator", operator_account(index))
            cheater = index == HONEST
            node = stack.enter_context(Node(
                index, net.cloister, net.chain, net.deployment.path, wallet, folder, SEED, 0,
                tables=None if cheater else {"duties": {"challenge_share_bps": 10000, "challenge_budget_wei": str(10 * bond)}},
                program=[adversary_binary(), "--wrong-share-bps", 10000] if cheater else None))
            node.register(net.committee.url)
            nodes.append(node)
        draws_in_force(net.chain)  # the jurors are drawn from the stakes of the previous epoch
        for node in nodes:
            node.start()
        cheater = nodes[HONEST]

        sender = Sender(net.chain, net.deployment)
        sent = [sender.send(p) for p in plan(12, malformed=0, seed=5)]
        wait_for(net, lambda: len(logs(net, net.deployment.core, "Fulfilled")) >= len(sent), "every result")
        fulfilled = {f["id"]: f for f in logs(net, net.deployment.core, "Fulfilled")}
        cheated = {i for i, f in fulfilled.items() if f["node"] == cheater.node_id}
        assert cheated, "the cheater was assigned none of the 12 requests; try another seed"

        wait_for(net, lambda: {r["id"] for r in logs(net, net.deployment.arbiter, "DisputeResolved")} >= cheated,
                 f"{len(cheated)} wrong results to be disputed and resolved")
        opened = logs(net, net.deployment.arbiter, "DisputeOpened")
        assert {d["id"] for d in opened} == cheated, "exactly the wrong results were challenged"
        assert all(d["bond"] == bond and d["challenger"] != cheater.node_id for d in opened)
        resolved = logs(net, net.deployment.arbiter, "DisputeResolved")
        assert all(r["executorLost"] for r in resolved)
        wait_for(net, lambda: {c["id"] for c in logs(net, net.deployment.arbiter, "CorrectedDelivered")} >= cheated,
                 "the corrected outputs")

        challengers = {d["challenger"] for d in opened}
        operators = {n.node_id: n.wallet.address for n in nodes}
        returned = [c for c in logs(net, net.deployment.core, "Credited") if c["reason"] == BOND_RETURN]
        assert sorted(c["amount"] for c in returned) == [bond] * len(opened)
        assert {c["account"].lower() for c in returned} == {operators[i].lower() for i in challengers}
        slashed = {s["node"] for s in logs(net, net.deployment.core, "Slashed")}
        assert slashed == {cheater.node_id}, "only the cheater lost stake"
        assert int(net.chain.rpc.call("eth_getBalance", net.deployment.core.address, "latest"), 16) \
            == view(net.chain.rpc, net.deployment.core, "accounted")
