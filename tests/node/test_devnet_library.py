"""The dev network library without the `cloister` binary: chain, deployment, traffic, observer and
settlement, with a Python stand-in executor that registers through the committee's EIP-712 proof and
fulfils requests with signed results (scripts/cloister_signing.py). The stand-in does not run the
model: it answers well-formed inputs with their keccak and malformed ones with error status 1.
"""
from __future__ import annotations

import threading

import eth_abi
import pytest
from eth_utils import keccak

from cloister_signing import (
    ROLE_EXECUTE, TDX_QUOTE, committee_proof, plaintext_commitment, public_key, quote_with, report_data, sign_result,
    signer_address, workload_id,
)
from devchain.accounts import dev_private_key
from devnet.accounts import COMMITTEE_MEMBER, OWNER, operator_account
from devnet.chain import local_chain
from devnet.deployment import deploy_network
from devnet.observer import Fulfilment, Observer
from devnet.settlement import credits, pass_windows, request_tuple, settle
from devnet.summary import Summary, percentile
from devnet.traffic import Sender, TrafficThread, plan

MODELS = {task: keccak(text=f"stand-in/{task}") for task in ("embed", "similarity", "classify")}
VERSION = keccak(b"stand-in executor")
INPUT_TYPES = {"embed": ["string"], "similarity": ["string", "string"], "classify": ["string", "string[]"]}


class StandIn:
    """A registered node whose enclave key lives in this process; `serve()` fulfils what is assigned to it."""

    def __init__(self, chain, deployment, index: int):
        self.chain, self.deployment = chain, deployment
        self.operator = chain.signer(operator_account(index))
        self.secret = keccak(f"stand-in enclave {index}".encode())
        self.expiry = chain.block_timestamp() + 7 * 86400
        core = deployment.core
        self.quote = quote_with(report_data(signer_address(self.secret), VERSION, self.expiry, core.address,
                                            chain.chain_id, self.operator.address))
        committee = deployment.record["contracts"]["CommitteeVerifier"]["address"]
        proof = committee_proof(self.quote, self.expiry + 86400, [dev_private_key(COMMITTEE_MEMBER)], committee,
                                chain.chain_id)
        receipt = self.operator.transact(core, "register", public_key(self.secret), list(MODELS.values()), self.quote,
                                         VERSION, self.expiry, proof, value=10**18)
        self.node_id = next(f["node"] for name, f in core.events(receipt) if name == "NodeRegistered")

    def result(self, requested: dict) -> tuple:
        task = next(t for t, m in MODELS.items() if m == requested["model"])
        try:
            fields = eth_abi.decode(INPUT_TYPES[task], requested["input"])
            status, output = (1, b"invalid input: no labels") if task == "classify" and not fields[1] else (
                0, keccak(requested["input"]))
        except Exception:
            status, output = 1, b"invalid input: not the task's ABI encoding"
        commitment = plaintext_commitment(requested["id"], status, output)
        v, r, s = sign_result(self.secret, self.deployment.core.address, self.chain.chain_id, requested["id"],
                              self.node_id, ROLE_EXECUTE, requested["model"], keccak(requested["input"]), status, output,
                              commitment, keccak(self.quote))
        return (status, output, commitment, keccak(self.quote), self.expiry, v, r, s)

    def serve(self, observer: Observer, done: set, stop: threading.Event) -> None:
        while not stop.wait(0.05):
            for request_id, requested in list(observer.requested.items()):
                if requested["node"] == self.node_id and request_id not in done:
                    done.add(request_id)
                    self.operator.transact(self.deployment.core, "fulfil", request_tuple(requested),
                                           self.result(requested), gas=800_000)


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    with local_chain() as chain:
        member = chain.signer(COMMITTEE_MEMBER).address
        deployment = deploy_network(chain, MODELS, workload_id(TDX_QUOTE), member,
                                    tmp_path_factory.mktemp("devnet") / "deployment.json")
        yield chain, deployment, [StandIn(chain, deployment, i) for i in range(2)]


def test_requests_are_observed_fulfilled_and_settled(network):
    chain, deployment, executors = network
    plans = plan(24)
    with Observer(chain, deployment) as observer:
        stop, done = threading.Event(), set()
        servers = [threading.Thread(target=e.serve, args=(observer, done, stop), daemon=True) for e in executors]
        for server in servers:
            server.start()
        traffic = TrafficThread(Sender(chain, deployment), plans, lambda s: observer.note_sent(s.id, s.receipt_at))
        traffic.start()
        traffic.join(120)
        ids = [s.id for s in traffic.sent]
        for _ in range(600):
            if observer.fulfilled_count(ids) == len(ids):
                break
            stop.wait(0.1)
        stop.set()
        for server in servers:
            server.join()
    observer.poll()
    assert len(ids) == 24 and observer.fulfilled_count(ids) == 24
    assert all(len(observer.fulfilled[i]) == 1 for i in ids)
    malformed = {s.id for s in traffic.sent if s.planned.malformed}
    assert len(malformed) == 2
    assert {i for i in ids if observer.fulfilled[i][0].status != 0} == malformed
    asked = {s.id for s in traffic.sent if s.planned.via == "consumer"}
    assert set(observer.answered) == asked  # the consumer's callback ran for each of its questions

    operators = [e.operator.address for e in executors]
    before = credits(chain, deployment, operators)
    pass_windows(chain, deployment)
    result = settle(chain, deployment, chain.signer(OWNER), [(observer.requested[i], observer.fulfilled[i][0])
                                                              for i in ids])
    assert result.failed == {} and set(result.settled) == set(ids)
    after = credits(chain, deployment, operators)
    paid = sum(f["executorAmount"] for f in result.settled.values())
    assert sum(after.values()) - sum(before.values()) == paid > 0

    summary = Summary.of(traffic.sent, observer, len(result.settled), 0)
    assert summary.lines()[0] == "demo: 24 requested, 22 fulfilled, 24 settled, 2 failed"
    assert summary.lines()[1].endswith("(24 requests, confirmations 0)")


def test_a_failing_settlement_is_named_not_hidden(network):
    chain, deployment, _ = network
    sender = Sender(chain, deployment)
    with Observer(chain, deployment) as observer:
        sent = sender.send(plan(2)[1])
    observer.poll()
    unfulfilled = Fulfilment(1, 0, b"\x00" * 32, 0, 0, True, b"", 0.0)
    result = settle(chain, deployment, chain.signer(OWNER), [(observer.requested[sent.id], unfulfilled)])
    assert result.settled == {} and "settle: unknown result" in result.failed[sent.id]


def test_next_block_share_counts_unfulfilled_requests_as_late():
    summary = Summary(requested=5, fulfilled=4, errors=0, unfulfilled=1, settled=4, latencies_ms=[1.0] * 4,
                      confirmations=1, blocks_after=[1, 2, 3, 2], block_time=2)
    assert summary.next_block_percent == 60.0  # 3 of 5 within 1 + 1 confirmation
    assert summary.lines()[1].endswith("(4 requests, confirmations 1); next block 60.0% at 2 s blocks")
    automine = Summary(5, 4, 0, 1, 4, [1.0] * 4, 1, [1, 2, 3, 2])
    assert "next block" not in automine.lines()[1]


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.5) == 50 and percentile(values, 0.95) == 95 and percentile([7.0], 0.95) == 7
