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
