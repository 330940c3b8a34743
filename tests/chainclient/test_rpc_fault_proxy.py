"""scripts/rpc_fault_proxy.py in front of a real devchain: transparent at rate 0, seeded, and each
fault kind produces the misbehaviour it names."""

import http.client
import json
import subprocess
import sys
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

import pytest

from devchain.accounts import dev_private_key
from devchain.testing import running_devchain
from eth_account import Account

PROXY = Path(__file__).resolve().parents[2] / "scripts" / "rpc_fault_proxy.py"


@pytest.fixture(scope="module")
def chain():
    with running_devchain() as node:
        yield node


@contextmanager
def proxy(upstream: str, *args: str):
    process = subprocess.Popen([sys.executable, str(PROXY), "--upstream", upstream, "--port", "0", *args],
                               stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert line.startswith("rpc_fault_proxy: listening on http://"), line
        yield line.split()[3]
    finally:
        process.terminate()
        process.wait(timeout=10)


def post(url: str, payload) -> tuple[int, bytes]:
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("POST", "/", json.dumps(payload), {"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def stats(url: str) -> dict:
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request("GET", "/stats")
    return json.loads(connection.getresponse().read())


def request(method: str, params: list, request_id: int = 1) -> dict:
    return {"jsonrpc": "2.0", "id": request_id, "method": method, "params": params}


def test_rate_zero_is_transparent(chain):
    with proxy(chain.url, "--fault-rate", "0") as url:
        for method, params in [("eth_chainId", []), ("eth_getBlockByNumber", ["0x0", False])]:
            status, body = post(url, request(method, params))
            assert status == 200
            assert json.loads(body)["result"] == chain.client.call(method, *params)
        assert stats(url) == {"requests": 2, "forwarded": 2, "faults": {k: 0 for k in stats(url)["faults"]}}


def test_same_seed_same_schedule(chain):
    schedules = []
    for _ in range(2):
        with proxy(chain.url, "--fault-rate", "0.5", "--seed", "9", "--faults", "http500,http503") as url:
            schedules.append([post(url, request("eth_chainId", []))[0] for _ in range(30)])
    assert schedules[0] == schedules[1]
    assert {200, 500, 503} <= set(schedules[0])


@pytest.mark.parametrize("kind, check", [
    ("http429", lambda status, body: status == 429),
    ("rpc_rate_limit", lambda status, body: json.loads(body)["error"]["code"] == -32005),
    ("truncate", lambda status, body: status == 200 and not _parses(body)),
    ("wrong_id", lambda status, body: json.loads(body)["id"] != 1),
    ("wrong_version", lambda status, body: json.loads(body)["jsonrpc"] == "1.0"),
    ("wrong_shape", lambda status, body: not isinstance(json.loads(body)["result"], dict)),
    ("wrong_answer", lambda status, body: json.loads(body)["result"]["number"] == "0x1"),
])
def test_each_fault_kind(chain, kind, check):
    with proxy(chain.url, "--fault-rate", "1", "--faults", kind) as url:
        status, body = post(url, request("eth_getBlockByNumber", ["0x0", False]))
        assert check(status, body)
        assert stats(url)["faults"][kind] == 1


def test_wrong_answer_to_a_batch_corrupts_one_element(chain):
    with proxy(chain.url, "--fault-rate", "1", "--faults", "wrong_answer") as url:
        batch = [request("eth_getBlockByNumber", ["0x0", False], 1), request("eth_chainId", [], 2)]
        answers = json.loads(post(url, batch)[1])
        honest = [{"jsonrpc": "2.0", "id": 1, "result": chain.client.call("eth_getBlockByNumber", "0x0", False)},
                  {"jsonrpc": "2.0", "id": 2, "result": chain.client.call("eth_chainId")}]
        assert sum(a != h for a, h in zip(answers, honest)) == 1


def test_drop_closes_without_an_answer(chain):
    with proxy(chain.url, "--fault-rate", "1", "--faults", "drop") as url:
        with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
            post(url, request("eth_chainId", []))


def _parses(body: bytes) -> bool:
    try:
        json.loads(body)
        return True
    except ValueError:
        return False


def test_wrong_shape_never_yields_another_valid_quantity(chain):
    """A long quantity (a balance) must come back invalid, not as a different valid number."""
    funded = Account.from_key(dev_private_key(1)).address  # 10,000 ether: a 21-character quantity
    with proxy(chain.url, "--fault-rate", "0") as url:
        honest = json.loads(post(url, request("eth_getBalance", [funded, "latest"]))[1])["result"]
    assert len(honest) >= 20
    with proxy(chain.url, "--fault-rate", "1", "--faults", "wrong_shape") as url:
        result = json.loads(post(url, request("eth_getBalance", [funded, "latest"]))[1])["result"]
    assert isinstance(result, str) and len(result) == len(honest)
    assert not all(c in "0123456789abcdef" for c in result[2:].lower()), result


# ---- the lagging backend (--faults empty_logs,null_block,stale_head,estimate_fail) ------------------------


def control(url: str, rate: float) -> dict:
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request("POST", "/control", json.dumps({"fault_rate": rate}), {"Content-Type": "application/json"})
    return json.loads(connection.getresponse().read())


@pytest.fixture(scope="module")
def logged(chain):
    """A few blocks with a log each (a contract that logs on every call), then three empty ones."""
    from devchain.testing import Wallet
    wallet = Wallet(chain.client, dev_private_key(2), chain.chain_id)
    # init code that returns runtime code `LOG0(0, 0); STOP`: 0x600080a000
    runtime = "600080a000"
    init = "0x6005600c60003960056000f3" + runtime
    contract = wallet.transact(data=init, gas=100_000)["contractAddress"]
    for _ in range(3):
        wallet.transact(to=contract, data="0x", gas=50_000)
    chain.client.call("anvil_mine", "0x3")
    return contract


def head(chain) -> int:
    return int(chain.client.call("eth_blockNumber"), 16)


def test_empty_logs_hides_the_newest_blocks_events_only(chain, logged):
    top = head(chain)
    with proxy(chain.url, "--fault-rate", "1", "--faults", "empty_logs", "--lag-blocks", "4") as url:
        near = request("eth_getLogs", [{"address": logged, "fromBlock": hex(top - 5), "toBlock": "latest"}])
        assert chain.client.call("eth_getLogs", *near["params"])  # the events are there
        assert json.loads(post(url, near)[1])["result"] == []
        far = request("eth_getLogs", [{"address": logged, "fromBlock": "0x0", "toBlock": hex(top - 4)}])
        assert json.loads(post(url, far)[1])["result"] == chain.client.call("eth_getLogs", *far["params"]) != []
        assert stats(url)["faults"]["empty_logs"] == 1 and stats(url)["forwarded"] == 1


def test_null_block_for_the_newest_numbers_only(chain, logged):
    top = head(chain)
    with proxy(chain.url, "--fault-rate", "1", "--faults", "null_block", "--lag-blocks", "2") as url:
        assert json.loads(post(url, request("eth_getBlockByNumber", [hex(top), False]))[1])["result"] is None
        assert json.loads(post(url, request("eth_getBlockByNumber", [hex(top - 1), False]))[1])["result"] is None
        older = json.loads(post(url, request("eth_getBlockByNumber", [hex(top - 2), False]))[1])["result"]
        assert older["number"] == hex(top - 2)
        assert json.loads(post(url, request("eth_getBlockByNumber", ["latest", False]))[1])["result"] is not None
        assert stats(url)["faults"]["null_block"] == 2


def test_stale_head_is_a_few_blocks_behind(chain, logged):
    top = head(chain)
    with proxy(chain.url, "--fault-rate", "1", "--faults", "stale_head", "--lag-blocks", "3") as url:
        answers = {int(json.loads(post(url, request("eth_blockNumber", []))[1])["result"], 16) for _ in range(20)}
        assert answers <= {top - 1, top - 2, top - 3} and len(answers) >= 2
        # other methods are never touched by a lagging kind
        assert json.loads(post(url, request("eth_chainId", []))[1])["result"] == chain.client.call("eth_chainId")
        assert stats(url)["faults"]["stale_head"] == 20 and stats(url)["forwarded"] == 1


def test_estimate_fail_is_transient_never_a_revert(chain):
    estimate = request("eth_estimateGas", [{"from": Account.from_key(dev_private_key(1)).address,
                                            "to": Account.from_key(dev_private_key(2)).address, "value": "0x1"}])
    seen = set()
    with proxy(chain.url, "--fault-rate", "1", "--faults", "estimate_fail", "--seed", "3") as url:
        for _ in range(30):
            status, body = post(url, estimate)
            if status == 503:
                seen.add("503")
                continue
            error = json.loads(body)["error"]
            assert error["code"] == -32603 and "revert" not in error["message"]
            seen.add(error["message"])
    assert seen == {"503", "internal error", "request timed out"}


def test_a_lagging_kind_changes_only_its_elements_of_a_batch(chain, logged):
    with proxy(chain.url, "--fault-rate", "1", "--faults", "stale_head") as url:
        answers = json.loads(post(url, [request("eth_blockNumber", [], 1), request("eth_chainId", [], 2)])[1])
        assert int(answers[0]["result"], 16) < head(chain)
        assert answers[1]["result"] == chain.client.call("eth_chainId")


def test_control_changes_the_rate_at_run_time(chain):
    with proxy(chain.url, "--fault-rate", "1", "--faults", "http500") as url:
        assert post(url, request("eth_chainId", []))[0] == 500
        assert control(url, 0)["faults"]["http500"] == 1
        assert post(url, request("eth_chainId", []))[0] == 200
        control(url, 1)
        assert post(url, request("eth_chainId", []))[0] == 500


def test_lagging_kinds_are_not_in_the_default_set(chain):
    with proxy(chain.url, "--fault-rate", "0") as url:
        assert set(stats(url)["faults"]) == {"http429", "http500", "http503", "rpc_rate_limit", "timeout", "drop",
                                             "truncate", "wrong_id", "wrong_version", "wrong_shape", "wrong_answer"}
