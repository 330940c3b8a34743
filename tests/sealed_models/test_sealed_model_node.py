"""Sealed models end to end (issue 18): a model owner seals MiniLM's weights as a "proprietary" model and as a
private one (similarity released with differential privacy), registers both in the model vault, and wraps
their keys for the first node only; the second node gets them from the first. Real nodes, the real vault on
the local chain, the sealed file fetched over HTTP, `cloister request` as a dApp runs it."""
from __future__ import annotations

import json
import shutil
import subprocess
import time

import eth_abi
import pytest
from eth_utils import keccak

from cloister_chain import RpcError, view
from devnet.accounts import DIRECT_REQUESTER, MODEL_OWNER, PRIVATE_REQUESTER, make_wallet
from devnet.network import SEED, dev_network
from devnet.sealed import PRIVATE_POLICY, plaintext_on_disk, wait_for, weights_file

pytestmark = pytest.mark.node_e2e
KEY_PUBLISHED = "0x" + keccak(text="KeyPublished(bytes32,uint256,address,address,bytes)").hex()


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    started = time.time()
    with dev_network(tmp_path_factory.mktemp("sealed"), node_count=2, sealed=True) as net:
        requester = make_wallet(net.cloister, net.state_dir / "requester", "requester", DIRECT_REQUESTER)
        private = make_wallet(net.cloister, net.state_dir / "private-requester", "requester", PRIVATE_REQUESTER)
        yield net, requester, private, started


def model(net, name):
    return next(m for m in net.sealed if m.name == name)


def request(net, wallet, *args) -> subprocess.CompletedProcess:
    argv = net.cloister.argv("request", "--rpc", net.chain.url, "--deployment", net.deployment.path,
                             "--keystore", wallet.keystore, "--password-file", wallet.password_file, "--json", *args)
    return subprocess.run([str(a) for a in argv], capture_output=True, text=True, timeout=240)


def exact_output(net, text, other) -> bytes:
    return net.cloister.reference_output("similarity", eth_abi.encode(["string", "string"], [text, other]))


def enclave_signer(net, node) -> str:
    """The node's enclave signer as the registry records it (`nodes(id).signer`)."""
    return view(net.chain.rpc, net.deployment.core, "nodes", node.node_id)[1].lower()


def test_the_owner_wraps_each_key_once_and_the_first_enclave_passes_it_on(network):
    net, *_ = network
    assert net.owner.error is None, net.owner.error
    first, second = net.nodes
    contract = net.deployment.vault
    for sealed in net.sealed:
        # the owner answered one enclave per model, then went quiet
        assert [signer for model_id, signer in net.owner.wrapped if model_id == sealed.id] == [first_signer := enclave_signer(net, first)]
        # the second node's key came from the first node's enclave, and both nodes list the model
        recipient = "0x" + "00" * 12 + enclave_signer(net, second)[2:]
        logs = net.chain.rpc.call("eth_getLogs", {"address": contract.address, "fromBlock": "0x0", "toBlock": "latest",
                                                  "topics": [KEY_PUBLISHED, "0x" + sealed.id.hex(), recipient]})
        published = [eth_abi.decode(["uint256", "address", "bytes"], bytes.fromhex(log["data"][2:])) for log in logs]
        assert [holder.lower() for _epoch, holder, _wrapped in published] == [first_signer]
        for node in net.nodes:
            assert sealed.id in view(net.chain.rpc, net.deployment.core, "nodes", node.node_id)[-1]


def test_a_sealed_model_answers_exactly_like_the_public_weights(network):
    net, requester, *_ = network
    proprietary = model(net, "proprietary")
    task = ("--task", "similarity", "--text", "the vault is sealed", "--text2", "the safe is locked")
    for extra in ((), ("--encrypt", "--allow-simulated", "--simulation-seed", SEED)):
        done = request(net, requester, "--model", proprietary.hex_id, *task, "--wait", *extra)
        assert done.returncode == 0, done.stderr
        result = json.loads(done.stdout)
        assert result["status"] == 0 and result["commitment_matches"]
        assert result["output_hash"] == "0x" + keccak(exact_output(net, task[3], task[5])).hex()
    # fetched over HTTP into each node's cache, as ciphertext under its hash
    for node in net.nodes:
        assert (node.folder / "sealed-models" / (proprietary.sealed_sha256.hex() + ".sealed")).exists()


def test_private_requests_are_noised_charged_and_refused_beyond_the_budget(network):
    net, _, private_wallet, _ = network
    private = model(net, "private")
    # two unrelated texts: the exact score is far from ±1, so the noise (scale Δ/ε = 0.1) is not clamped and four
    # noised answers are four different numbers
    task = ("--task", "similarity", "--text", "my record is in the data", "--text2", "a train leaves at noon")
    cost, budget = PRIVATE_POLICY["epsilon_micros"], PRIVATE_POLICY["budget_micros"]
    exact = keccak(exact_output(net, task[3], task[5])).hex()
    remaining, outputs = [], []
    for _ in range(budget // cost):
        done = request(net, private_wallet, "--model", private.hex_id, "--private", *task, "--wait")
        assert done.returncode == 0, done.stderr
        result = json.loads(done.stdout)
        assert result["status"] == 0 and result["commitment_matches"]
        assert -1_000_000 <= result["score"] <= 1_000_000  # the noised output still decodes as a similarity (micro-units), clamped
        remaining.append(int(result["budget_remaining_micros"]))
        outputs.append(result["output_hash"])
    # every answer is noised, and differently for each request (the noise is keyed by the request)
    assert "0x" + exact not in outputs and len(set(outputs)) == len(outputs)
    assert remaining == [budget - cost * (i + 1) for i in range(budget // cost)]
    # `cloister model status` shows the budget without spending any
    status = json.loads(net.cloister.run("model status", "model", "status", "--rpc", net.chain.url, "--deployment", net.deployment.path,
                                         "--model", private.hex_id, "--requester", private_wallet.address, "--json"))
    assert status["private"] and status["budget_remaining_micros"] == "0" and status["budget_micros"] == str(budget)
    assert status["epsilon_micros"] == cost and status["sealed_sha256"] == "0x" + private.sealed_sha256.hex()
    # the client refuses the next one before paying anything
    nonce = net.chain.rpc.call("eth_getTransactionCount", private_wallet.address, "latest")
    refused = request(net, private_wallet, "--model", private.hex_id, "--private", *task)
    assert refused.returncode != 0 and "privacy budget" in refused.stderr and "exhausted" in refused.stderr, refused.stderr
    assert net.chain.rpc.call("eth_getTransactionCount", private_wallet.address, "latest") == nonce
    # and the vault refuses it on chain, with its reason, for a requester who skips the client's check
    signer = net.chain.signer(PRIVATE_REQUESTER)
    deadline = net.chain.block_timestamp() + 600
    with pytest.raises(RpcError, match="vault: privacy budget exhausted"):
        net.chain.rpc.call("eth_estimateGas", {
            "from": signer.address, "to": net.deployment.vault.address, "value": hex(net.deployment.fee("similarity")),
            "data": net.deployment.vault.calldata("requestPrivate", private.id, eth_abi.encode(["string", "string"], ["a", "b"]),
                                                   "0x" + "00" * 20, 0, deadline, b"", [])})


def test_going_around_the_vault_gets_no_private_output(network):
    net, requester, *_ = network
    done = request(net, requester, "--model", model(net, "private").hex_id, "--task", "similarity",
                   "--text", "skip the budget", "--text2", "ask the core", "--wait")
    result = json.loads(done.stdout)
    assert result["status"] == 5, done.stdout
    assert "requestPrivate" in result["error"]


def test_no_plaintext_weights_reach_the_nodes_disks(network, tmp_path):
    net, _, _, started = network
    folders = [node.folder for node in net.nodes]
    assert plaintext_on_disk(folders, since=started) == 0
    # the scan finds a copy where there is one
    copy = tmp_path / "copied.bin"
    shutil.copyfile(weights_file(), copy)
    assert plaintext_on_disk([tmp_path], since=started) == 1


def test_a_rotation_reaches_every_node_without_a_restart(network):
    """Last in the module: the owner rotates the private model's key (a new sealed file under a new key), wraps the
    new key for node 0 only; node 0 takes it (after it opened the new file) and passes it to node 1; a private
    request made after the rotation is answered under the new epoch, by nodes that were never restarted."""
    net, requester, *_ = network
    private = model(net, "private")
    folder = private.sealed_file.parent
    sealed, key = folder / "private-2.sealed", folder / "private-2.key"
    printed = json.loads(net.cloister.run("sealing epoch 2", "model", "seal", "--input", weights_file(), "--output", sealed,
                                          "--key-file", key, "--new-key"))
    owner = net.chain.signer(MODEL_OWNER)
    owner.transact(net.deployment.vault, "rotate", private.id, bytes.fromhex(printed["sealed_sha256"][2:]), str(sealed.resolve()))
    first, second = (enclave_signer(net, node) for node in net.nodes)
    first_key = "0x" + view(net.chain.rpc, net.deployment.core, "nodes", net.nodes[0].node_id)[2].hex()
    wrapped = json.loads(net.cloister.run("owner wraps epoch 2", "model", "wrap-key", "--key-file", key, "--model", private.hex_id,
                                          "--epoch", 2, "--recipient-key", first_key))["wrapped"]
    owner.transact(net.deployment.vault, "publishKey", private.id, 2, first, bytes.fromhex(wrapped[2:]), "0x" + "00" * 20, 0,
                   b"\0" * 32, b"\0" * 32)
    wait_for(lambda: view(net.chain.rpc, net.deployment.vault, "wrappedKey", private.id, 2, second), 60,
             "node 0 to pass the epoch-2 key to node 1")
    wait_for(lambda: all("this enclave holds the new epoch's key" in (node.folder / "node.log").read_text() for node in net.nodes),
             60, "both nodes to take the epoch-2 key")
    done = request(net, requester, "--model", private.hex_id, "--private", "--task", "similarity",
                   "--text", "after the rotation", "--text2", "a new key", "--wait")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["status"] == 0 and result["commitment_matches"]
    assert view(net.chain.rpc, net.deployment.vault, "privateRequests", bytes.fromhex(result["request_id"][2:]))[1] == 2
