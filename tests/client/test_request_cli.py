"""`cloister request` as a dApp developer runs it: plaintext and confidential requests against two real
nodes on the local chain, with the result checked against the engine and the chain's own records."""
from __future__ import annotations

import json
import subprocess

import pytest
from eth_utils import keccak

from devnet.accounts import DIRECT_REQUESTER, make_wallet
from devnet.network import SEED, dev_network

REQUESTED_TOPIC = "0x" + keccak(text="Requested(bytes32,uint256,bytes32,address,address,uint256,uint256,uint256,uint256[],bytes,bytes)").hex()


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    with dev_network(tmp_path_factory.mktemp("client"), node_count=2) as net:
        wallet = make_wallet(net.cloister, net.state_dir / "requester", "requester", DIRECT_REQUESTER)
        yield net, wallet


def request(net, wallet, *args: str) -> subprocess.CompletedProcess:
    argv = net.cloister.argv("request", "--rpc", net.chain.url, "--deployment", net.deployment.path,
                             "--keystore", wallet.keystore, "--password-file", wallet.password_file, "--json", *args)
    return subprocess.run([str(a) for a in argv], capture_output=True, text=True, timeout=180)


def engine_output_hash(net, *task_args: str) -> str:
    argv = net.cloister.argv("infer", *task_args, "--json")
    return json.loads(subprocess.run([str(a) for a in argv], capture_output=True, text=True, check=True).stdout)["output_hash"]


def requested_input(net, request_id: str) -> bytes:
    logs = net.chain.rpc.call("eth_getLogs", {"address": net.deployment.core.address, "fromBlock": "0x0", "toBlock": "latest",
                                              "topics": [REQUESTED_TOPIC, request_id]})
    assert len(logs) == 1
    return bytes.fromhex(logs[0]["data"][2:])


@pytest.mark.node_e2e
def test_plaintext_request_returns_the_engines_output(network):
    net, wallet = network
    task = ("--task", "similarity", "--text", "a cat sleeps", "--text2", "a kitten naps")
    done = request(net, wallet, *task, "--wait")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["status"] == 0 and result["commitment_matches"] and not result["confidential"]
    assert result["output_hash"] == engine_output_hash(net, *task)


def requested_deadline(net, request_id: str) -> int:
    """The deadline word of the request's `Requested` event (the fifth word of its data)."""
    return int.from_bytes(requested_input(net, request_id)[128:160], "big")


def block_timestamp(net, number: int) -> int:
    return int(net.chain.rpc.call("eth_getBlockByNumber", hex(number), False)["timestamp"], 16)


@pytest.mark.node_e2e
def test_the_deadline_respects_the_minimum_response_time(network):
    net, wallet = network
    minimum = net.deployment.params()["minResponseTime"]
    task = ("--task", "similarity", "--text", "rain", "--text2", "drizzle")
    sent_before = net.chain.rpc.call("eth_getTransactionCount", wallet.address, "latest")
    refused = request(net, wallet, *task, "--deadline-seconds", str(minimum - 1))
    assert refused.returncode != 0
    assert f"minimum response time of {minimum} s" in refused.stderr, refused.stderr
    assert net.chain.rpc.call("eth_getTransactionCount", wallet.address, "latest") == sent_before, "nothing was sent"

    at_minimum = request(net, wallet, *task, "--deadline-seconds", str(minimum))
    assert at_minimum.returncode == 0, at_minimum.stderr
    sent = json.loads(at_minimum.stdout)
    assert requested_deadline(net, sent["request_id"]) - block_timestamp(net, sent["block"]) >= minimum

    default = json.loads(request(net, wallet, *task).stdout)
    assert requested_deadline(net, default["request_id"]) - block_timestamp(net, default["block"]) >= max(minimum, 590)


@pytest.mark.node_e2e
def test_confidential_request_is_sealed_to_verified_nodes_and_decrypted(network):
    net, wallet = network
    text = "quarterly revenue beat expectations"
    task = ("--task", "classify", "--text", text, "--labels", "finance,sport,weather")
    done = request(net, wallet, *task, "--encrypt", "--allow-simulated", "--simulation-seed", SEED)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["confidential"] and sorted(result["recipients"]) == ["1", "2"]
    assert result["status"] == 0 and result["commitment_matches"]
    assert result["label"] == "finance"
    assert result["output_hash"] == engine_output_hash(net, *task)
    assert text.encode() not in requested_input(net, result["request_id"]), "the input went on chain in clear"


@pytest.mark.node_e2e
def test_nodes_are_not_trusted_under_another_root(network):
    net, wallet = network
    done = request(net, wallet, "--task", "embed", "--text", "secret", "--encrypt", "--allow-simulated", "--simulation-seed", "not-the-nodes-seed")
    assert done.returncode != 0
    assert "no eligible node's attestation verified" in done.stderr
    assert done.stderr.count("not encrypting to node") == 2


@pytest.mark.node_e2e
def test_intel_root_needs_collateral(network):
    net, wallet = network
    done = request(net, wallet, "--task", "embed", "--text", "secret", "--encrypt")
    assert done.returncode != 0 and "--collateral" in done.stderr


def result(net, request_id: str, *args: str) -> subprocess.CompletedProcess:
    argv = net.cloister.argv("result", "--rpc", net.chain.url, "--deployment", net.deployment.path, "--id", request_id, *args)
    return subprocess.run([str(a) for a in argv], capture_output=True, text=True, timeout=60)


def requested_event(net, request_id: str) -> dict:
    """The `Requested` event's non-indexed fields, decoded with the core's ABI."""
    logs = net.chain.rpc.call("eth_getLogs", {"address": net.deployment.core.address, "fromBlock": "0x0", "toBlock": "latest",
                                              "topics": [REQUESTED_TOPIC, request_id]})
    names, values = zip(*eth_abi_fields(logs[0]["data"]))
    return dict(zip(names, values))


def eth_abi_fields(data: str):
    import eth_abi
    types = ["address", "address", "uint256", "uint256", "uint256", "uint256[]", "bytes", "bytes"]
    names = ["requester", "callback", "callbackGas", "fee", "deadline", "recipients", "outputKey", "input"]
    return zip(names, eth_abi.decode(types, bytes.fromhex(data[2:])))


@pytest.mark.node_e2e
def test_result_shows_the_stage_decoded_output_commitment_and_callback(network):
    net, wallet = network
    task = ("--task", "classify", "--text", "the striker scored twice", "--labels", "finance,sport")
    done = request(net, wallet, *task, "--wait")
    assert done.returncode == 0, done.stderr
    request_id = json.loads(done.stdout)["request_id"]
    shown = result(net, request_id, "--json")
    assert shown.returncode == 0, shown.stderr
    state = json.loads(shown.stdout)
    assert state["stage"] in ("fulfilled", "verified", "settled"), state
    assert state["status"] == 0 and state["commitment_matches"] is True and state["callback_ok"] is True
    assert state["label"] == "sport" and state["output_hash"] == engine_output_hash(net, *task)
    text = result(net, request_id).stdout
    assert "commitment: matches the enclave's signed commitment" in text and "callback: none" in text, text
    unknown = result(net, "0x" + "11" * 32)
    assert unknown.returncode != 0 and "no Requested event" in unknown.stderr, unknown.stderr


@pytest.mark.node_e2e
def test_fee_callback_and_model_options_reach_the_chain(network):
    net, wallet = network
    task = ("--task", "classify", "--text", "markets fell", "--labels", "finance,sport")
    model = "0x" + net.deployment.models["classify"].hex()
    callback = net.deployment.consumer.address
    from cloister_chain import view
    required = view(net.chain.rpc, net.deployment.core, "requestFee", net.deployment.models["classify"], 100_000)
    assert required > net.deployment.fee("classify"), "the callback gas is paid for"
    nonce = net.chain.rpc.call("eth_getTransactionCount", wallet.address, "latest")
    low = request(net, wallet, *task, "--model", model, "--callback", callback, "--callback-gas", "100000", "--fee", str(required - 1))
    assert low.returncode != 0 and f"below the {required} wei this request needs" in low.stderr, low.stderr
    assert net.chain.rpc.call("eth_getTransactionCount", wallet.address, "latest") == nonce, "nothing was sent"
    sent = request(net, wallet, *task, "--model", model, "--callback", callback, "--callback-gas", "100000",
                   "--fee", str(required + 7), "--deadline", "900")
    assert sent.returncode == 0, sent.stderr
    request_id = json.loads(sent.stdout)["request_id"]
    assert sent.stderr.startswith(f"request {request_id} in block"), "the id is printed before anything else"
    event = requested_event(net, request_id)
    assert event["fee"] == required + 7 and event["callbackGas"] == 100_000
    assert event["callback"].lower() == callback.lower()
    # Counted from the head the command saw; the request is mined in a later block.
    assert 890 <= event["deadline"] - block_timestamp(net, json.loads(sent.stdout)["block"]) <= 900


@pytest.mark.node_e2e
def test_an_input_over_the_limit_is_refused_before_any_fee_is_paid(network):
    net, wallet = network
    limit = net.deployment.params()["maxInputBytes"]
    nonce = net.chain.rpc.call("eth_getTransactionCount", wallet.address, "latest")
    refused = request(net, wallet, "--task", "embed", "--text", "x" * limit)
    assert refused.returncode != 0
    assert f"above this deployment's limit of {limit} bytes (params().maxInputBytes)" in refused.stderr, refused.stderr
    assert net.chain.rpc.call("eth_getTransactionCount", wallet.address, "latest") == nonce, "nothing was sent"


def test_version_is_printed():
    from devnet.binary import Cloister
    shown = subprocess.run(Cloister().argv("--version"), capture_output=True, text=True, timeout=30)
    assert shown.returncode == 0 and shown.stdout.strip() == "0.1.0", shown
