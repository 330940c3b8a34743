"""Hostile parameters for every method: each request gets a JSON-RPC answer, never an internal error.

Runs against a server process of its own (the random dev calls would disturb the shared one). Not
in-process: titanoboa's pytest plugin patches py-evm's opcodes in the test process, and the server
must be tested as it runs.
"""

import inspect
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devchain.api_chain import ChainMethods
from devchain.api_dev import DevMethods
from devchain.api_transactions import TransactionMethods
from devchain.dispatch import METHOD_PREFIXES
from devchain.testing import running_devchain

ALLOWED_CODES = {-32700, -32600, -32601, -32602, -32000, 3}

hex_quantities = st.integers(0, 64).map(hex)
hex_data = st.binary(max_size=40).map(lambda b: "0x" + b.hex())
# Mostly well-formed values, so requests get past parameter parsing and into the chain.
plausible = st.one_of(
    hex_quantities,
    st.sampled_from(["latest", "earliest", "pending", "safe", "finalized", True, False, None,
                     "0x822ea1dd1f63b36cda0eba2ececcd3214750d7ac", "0x" + "00" * 20, "0x" + "11" * 32,
                     "0x60006000f3", "0x08c379a0"]),
)
# Plain JSON integers count as quantities; mid-sized ones are left out so that no example asks the
# server to mine thousands of blocks (legal, but slow enough to hit the client's timeout).
json_integers = st.one_of(st.integers(-2**70, -1), st.integers(0, 64), st.integers(2**63, 2**70))
garbage = st.one_of(json_integers, st.floats(allow_nan=False), hex_data, st.text(max_size=8),
                    st.sampled_from(["0x", "0x0g", "", "0x" + "f" * 80, "0X1", "0x-1"]))
scalars = st.one_of(plausible, plausible, plausible, garbage)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.sampled_from(
                                   ["from", "to", "data", "input", "gas", "gasPrice", "value", "address", "topics",
                                    "fromBlock", "toBlock", "blockHash", "blockNumber", "maxFeePerGas",
                                    "maxPriorityFeePerGas", "accessList", "storageKeys", "timestamp", "blocks",
                                    "requireCanonical"]), children, max_size=5)),
    max_leaves=12,
)


METHODS = {
    name: function
    for group in (ChainMethods, TransactionMethods, DevMethods)
    for name, function in inspect.getmembers(group, inspect.isfunction)
    if name.startswith(METHOD_PREFIXES)
}


class Endpoint:
    """Posts raw bodies to the module's own server."""

    def __init__(self, client):
        self.client = client

    def handle_bytes(self, body: bytes) -> bytes | None:
        return self.client.post_bytes(body) or None


@pytest.fixture(scope="module")
def endpoint():
    with running_devchain() as node:
        yield Endpoint(node.client)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_method_answers_hostile_params(endpoint, data):
    method = data.draw(st.sampled_from(sorted(METHODS)))
    parameters = list(inspect.signature(METHODS[method]).parameters.values())[1:]  # without self
    required = sum(1 for p in parameters if p.default is inspect.Parameter.empty)
    # Mostly the right number of arguments, so the values themselves get exercised.
    count = data.draw(st.one_of(st.integers(required, len(parameters)), st.integers(0, 4)))
    params = data.draw(st.lists(st.one_of(scalars, json_values), min_size=count, max_size=count))
    request = {"jsonrpc": "2.0", "id": 1, "method": method, "params": params}
    response = json.loads(endpoint.handle_bytes(json.dumps(request).encode()))
    assert response["id"] == 1
    if "error" in response:
        assert response["error"]["code"] in ALLOWED_CODES, (method, params, response)
    else:
        assert "result" in response


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(st.binary(max_size=200), json_values.map(lambda v: json.dumps(v).encode())))
def test_arbitrary_bodies_get_an_envelope(endpoint, body):
    raw = endpoint.handle_bytes(body)
    if raw is None:
        return  # only notifications: nothing to answer
    response = json.loads(raw)
    for item in response if isinstance(response, list) else [response]:
        assert item["jsonrpc"] == "2.0"
        assert "result" in item or item["error"]["code"] in ALLOWED_CODES


@pytest.mark.parametrize("value", ["0x1_0", "0x-1", "0x+1", "0x 1", "0x", "1", "0xg", 1.5, True, [], "0x" + "f" * 65])
def test_quantities_are_strict_hex(endpoint, value):
    request = {"jsonrpc": "2.0", "id": 1, "method": "eth_getBlockByNumber", "params": [value, False]}
    response = json.loads(endpoint.handle_bytes(json.dumps(request).encode()))
    assert response["error"]["code"] == -32602


def test_call_with_value_beyond_the_balance_is_refused(endpoint):
    request = {"jsonrpc": "2.0", "id": 1, "method": "eth_estimateGas", "params": [{"value": "0x5"}]}
    error = json.loads(endpoint.handle_bytes(json.dumps(request).encode()))["error"]
    assert error["code"] == -32000 and error["message"].startswith("insufficient funds for gas * price + value")


def _signed_transfer(chain_id: int, legacy: bool) -> bytes:
    from eth_account import Account

    from devchain.accounts import dev_private_key
    tx = {"chainId": chain_id, "nonce": 0, "to": "0x" + "22" * 20, "value": 1, "gas": 21000}
    tx.update({"gasPrice": 10**10} if legacy else {"maxFeePerGas": 10**10, "maxPriorityFeePerGas": 1, "type": 2})
    return bytes(Account.from_key(dev_private_key(5)).sign_transaction(tx).raw_transaction)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(legacy=st.booleans(), position=st.integers(0, 200), replacement=st.binary(min_size=1, max_size=3),
       cut=st.integers(0, 120), tail=st.binary(max_size=8))
def test_mutated_raw_transactions_are_rejected_cleanly(endpoint, legacy, position, replacement, cut, tail):
    original = _signed_transfer(31337, legacy)
    position %= len(original)
    mutated = (original[:position] + replacement + original[position + len(replacement):])[: len(original) - cut] + tail
    if mutated == original:
        return
    request = {"jsonrpc": "2.0", "id": 1, "method": "eth_sendRawTransaction", "params": ["0x" + mutated.hex()]}
    response = json.loads(endpoint.handle_bytes(json.dumps(request).encode()))
    # A mutation may still be a valid transaction from some other (unfunded) sender: then it is refused
    # for funds; an intact one from the funded sender may even be mined.
    if "error" in response:
        assert response["error"]["code"] == -32000, response


call_objects = st.dictionaries(
    st.sampled_from(["from", "to", "data", "input", "gas", "gasPrice", "value", "maxFeePerGas",
                     "maxPriorityFeePerGas", "accessList", "nonce", "type", "chainId"]),
    st.one_of(scalars, st.sampled_from(["0x5208", "0x1c9c380", "0x" + "ff" * 32, [{"address": "0x" + "00" * 20}]])),
    max_size=6,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(method=st.sampled_from(["eth_call", "eth_estimateGas"]), call=call_objects,
       block=st.one_of(st.none(), st.sampled_from(["latest", "pending", "earliest", "0x0", {"blockNumber": "0x0"}])))
def test_hostile_call_objects(endpoint, method, call, block):
    params = [call] if block is None else [call, block]
    request = {"jsonrpc": "2.0", "id": 1, "method": method, "params": params}
    response = json.loads(endpoint.handle_bytes(json.dumps(request).encode()))
    if "error" in response:
        assert response["error"]["code"] in ALLOWED_CODES, (params, response)
