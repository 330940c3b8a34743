"""`cloister refund`: a requester takes back the fee of a request nobody answered, after its deadline only,
once only, and the assigned node is slashed for the timeout (the slash is burned, not paid to the requester)."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import time
import urllib.request

import pytest
from cloister_chain import view

from devnet.accounts import DIRECT_REQUESTER, make_wallet
from devnet.network import dev_network
from devnet.traffic import ANSWER_WITHIN, Sender, plan


@pytest.fixture(scope="module")
def silent_network(tmp_path_factory):
    """One registered node that is stopped: every request times out."""
    with dev_network(tmp_path_factory.mktemp("refund"), node_count=1) as net:
        net.nodes[0].stop()
        yield net, make_wallet(net.cloister, net.state_dir / "requester", "requester", DIRECT_REQUESTER)


def refund(net, wallet, request_id: bytes) -> subprocess.CompletedProcess:
    argv = net.cloister.argv("refund", "--rpc", net.chain.url, "--deployment", net.deployment.path,
                             "--keystore", wallet.keystore, "--password-file", wallet.password_file, "--id", "0x" + request_id.hex())
    return subprocess.run([str(a) for a in argv], capture_output=True, text=True, timeout=120)


@pytest.mark.node_e2e
def test_an_unanswered_request_is_refunded_after_its_deadline_once(silent_network):
    net, wallet = silent_network
    planned = next(p for p in plan(2, malformed=0) if p.via == "direct")
    sent = Sender(net.chain, net.deployment).send(planned)
    fee = net.deployment.fee(planned.task)
    # Sent now, while the node is still drawable: the first refund's timeout slash jails it.
    by_contract = Sender(net.chain, net.deployment).send(next(p for p in plan(4, malformed=0) if p.via == "consumer"))

    early = refund(net, wallet, sent.id)
    assert early.returncode != 0 and "deadline" in early.stderr, early.stderr

    stake_before = view(net.chain.rpc, net.deployment.core, "nodes", net.nodes[0].node_id)[3]
    before = view(net.chain.rpc, net.deployment.core, "credits", wallet.address)
    burned_before = view(net.chain.rpc, net.deployment.core, "burned")
    net.chain.advance(ANSWER_WITHIN + 1, 1)
    done = refund(net, wallet, sent.id)
    assert done.returncode == 0, done.stderr
    assert view(net.chain.rpc, net.deployment.core, "credits", wallet.address) - before == fee, "the fee only: the slash is burned"
    slashed = stake_before - view(net.chain.rpc, net.deployment.core, "nodes", net.nodes[0].node_id)[3]
    params = net.deployment.params()
    assert slashed > 0 and slashed == stake_before * params["timeoutSlashBps"] // 10_000, (slashed, stake_before)
    assert view(net.chain.rpc, net.deployment.core, "burned") - burned_before == slashed
    assert f"fee {fee} wei credited to the requester" in done.stdout and f"{slashed} wei slashed from the node and burned" in done.stdout, done.stdout
    assert wallet.address.lower() in done.stdout.lower() and "from this wallet" in done.stdout, done.stdout

    again = refund(net, wallet, sent.id)
    assert again.returncode != 0 and "no longer pending" in again.stderr, again.stderr

    # Anyone may refund an expired request; the fee goes to the request's sender, here the example
    # consumer contract, and the command names it (it used to name the caller).
    consumer = net.deployment.consumer.address
    credits_before = view(net.chain.rpc, net.deployment.core, "credits", consumer)
    mine = view(net.chain.rpc, net.deployment.core, "credits", wallet.address)
    done = refund(net, wallet, by_contract.id)
    assert done.returncode == 0, done.stderr
    assert view(net.chain.rpc, net.deployment.core, "credits", consumer) > credits_before
    assert view(net.chain.rpc, net.deployment.core, "credits", wallet.address) == mine, "nothing to the caller"
    assert f"credited to the requester {consumer}".lower() in done.stdout.lower(), done.stdout
    assert "the requesting contract collects it" in done.stdout, done.stdout
    slashed_total = stake_before - view(net.chain.rpc, net.deployment.core, "nodes", net.nodes[0].node_id)[3]

    # The node's own account of it survives restarts: read from its duty scan, then restored at start up
    # to the block the scan had read (neither zeroed nor counted twice). Once the slashes are buried
    # deeper than chain.final_depth (64), a start checkpoints the totals in the store, and the next start
    # counts on from the checkpoint instead of from the deployment block.
    node = net.nodes[0]
    for restart in range(3):
        node.start(standing=False)  # jailed by the timeouts: it runs, not ready
        deadline = time.monotonic() + 30
        while int(node_status(node)["duties"]["slashedWei"]) != slashed_total:
            assert time.monotonic() < deadline, (restart, node_status(node)["duties"], slashed_total)
            time.sleep(0.5)
        time.sleep(2)  # a few more scans: nothing is counted twice
        assert int(node_status(node)["duties"]["slashedWei"]) == slashed_total
        assert node_status(node)["standing"]["status"] == "jailed"
        node.stop()
        checkpoint = totals_checkpoint(node)
        if restart == 0:
            net.chain.advance(0, 70)  # buries the slashes: the next start checkpoints them
        elif restart == 1:
            assert checkpoint is not None and int(checkpoint[1]["slashedWei"]) == slashed_total, checkpoint
        else:  # started from the checkpoint: the same totals, carried forward
            assert checkpoint is not None and checkpoint[0] >= previous[0], (checkpoint, previous)
            assert int(checkpoint[1]["slashedWei"]) == slashed_total, checkpoint
        previous = checkpoint


def totals_checkpoint(node) -> tuple[int, dict] | None:
    """The store's money-totals checkpoint (through block, totals), read with SQLite itself."""
    with sqlite3.connect(node.folder / "jobs.sqlite") as db:
        row = db.execute("SELECT through_block, totals FROM duty_totals WHERE id = 1").fetchone()
    return (row[0], json.loads(row[1])) if row else None


def node_status(node) -> dict:
    with urllib.request.urlopen(node.url + "/v1/status", timeout=5) as response:
        return json.loads(response.read())
