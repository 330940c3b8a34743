"""cloister_client against two real nodes on the local chain, cross-checked with the Swift client:
a request sealed by Python is opened and answered by a node and decrypted and checked by Python; a
confidential request sent with `cloister request` (Swift) is checked by Python from its wrap secrets file;
plaintext results, refunds and withdrawals; envelopes and outputs against the Swift CLI and the vectors."""
from __future__ import annotations

import json
import subprocess

import pytest
from eth_account import Account
from eth_utils import keccak

from cloister_client import Cloister, CloisterError, Trust, output_commitment
from cloister_client import envelope as env
from devnet.network import dev_network
from devnet.userenv import write_user_environment


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    with dev_network(tmp_path_factory.mktemp("pyclient"), node_count=2) as net:
        yield net, write_user_environment(net)


@pytest.fixture(scope="module")
def client(network):
    net, user = network
    return Cloister.from_keystore(net.chain.url, net.deployment.path, user.requester.keystore, user.requester.password_file)


def engine(net, task: str, *args: str) -> dict:
    return json.loads(net.cloister.run("engine", "infer", "--task", task, *args, "--json"))


@pytest.mark.node_e2e
def test_models_and_nodes_are_listed_with_their_tasks(network, client):
    net, _ = network
    models = {m.task: m for m in client.models()}
    assert set(models) == {"embed", "similarity", "classify", "generate", "score"}
    for task, model in models.items():
        assert model.id == net.deployment.models[task] and model.fee == net.deployment.fee(task)
    nodes = client.nodes()
    assert [n.id for n in nodes] == [n.node_id for n in net.nodes]
    assert all(n.eligible(models["classify"].id, client.w3.eth.get_block("latest")["timestamp"]) for n in nodes)


@pytest.mark.node_e2e
def test_attestation_is_checked_like_the_swift_client(network, client, tmp_path):
    net, user = network
    trust = Trust.simulated(user.variables["CLOISTER_SIMULATED_TEE"])
    for node in client.nodes():
        verified = client.verify_node(node, trust)
        assert verified.status == "UpToDate" and keccak(verified.quote) == node.attestation_digest
    other = net.cloister.simulated_trust("not-the-nodes-seed", net.chain.chain_id, tmp_path / "other")
    with pytest.raises(Exception, match="does not verify"):
        client.verify_node(client.nodes()[0], Trust.simulated(other))
    with pytest.raises(CloisterError, match="no eligible node's attestation verified"):
        client.request_confidential("embed", "secret", trust=Trust.simulated(other))


@pytest.mark.node_e2e
def test_plaintext_request_decoded_and_checked(network, client):
    net, _ = network
    sent = client.request("classify", "The striker signed a three-year contract", ["finance", "sport", "politics"])
    result = client.wait(sent, timeout=120)
    reference = engine(net, "classify", "--text", "The striker signed a three-year contract", "--labels", "finance,sport,politics")
    assert result.status == 0 and result.commitment_matches and result.callback_ok
    assert result.output == bytes.fromhex(reference["output"][2:])
    assert result.decoded == {"best": reference["best"], "scores": reference["scores"]}
    assert result.commitment == output_commitment(sent.id, 0, result.output)


@pytest.mark.node_e2e
def test_python_sealed_request_is_answered_by_a_node_and_decrypted(network, client):
    net, user = network
    text = "quarterly revenue beat expectations"
    sent = client.request_confidential("classify", text, ["finance", "sport", "weather"],
                                       trust=Trust.simulated(user.variables["CLOISTER_SIMULATED_TEE"]), recipients=2)
    assert sorted(sent.recipients) == [1, 2] and sent.confidential
    requested = client.requested_event(sent.id)["args"]
    assert text.encode() not in bytes(requested["input"]), "the input went on chain in clear"
    result = client.wait(sent, timeout=120)
    posted = bytes(client.fulfilled_event(sent.id)["args"]["output"])
    assert env.is_encrypted_output(posted) and result.output != posted
    reference = engine(net, "classify", "--text", text, "--labels", "finance,sport,weather")
    assert result.status == 0 and result.commitment_matches
    assert result.output == bytes.fromhex(reference["output"][2:]) and result.decoded["best"] == 0


@pytest.mark.node_e2e
def test_swift_requested_result_is_checked_by_python_from_the_wrap_secrets(network, client, tmp_path):
    """`cloister request --encrypt --save-wrap-secrets` (Swift): Python opens the secrets file with the same
    wallet, recovers the data key from the envelope on chain, reads the input back and checks the on-chain
    commitment against the engine's output. (The output itself is encrypted to a key the Swift process
    discards, so only Swift decrypts it; Swift's own check is its commitment_matches.)"""
    net, user = network
    secrets = tmp_path / "wrap-secrets.json"
    done = subprocess.run(net.cloister.argv(
        "request", "--rpc", net.chain.url, "--deployment", net.deployment.path, "--keystore", user.requester.keystore,
        "--password-file", user.requester.password_file, "--json", "--task", "similarity", "--text", "a cat sleeps",
        "--text2", "a kitten naps", "--encrypt", "--allow-simulated", "--save-wrap-secrets", secrets),
        capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    swift = json.loads(done.stdout)
    assert swift["status"] == 0 and swift["commitment_matches"]
    request_id = bytes.fromhex(swift["request_id"][2:])
    wallet = Account.decrypt(json.loads(user.requester.keystore.read_text()),
                             user.requester.password_file.read_text().splitlines()[0])
    opened_id, entries = env.open_wrap_secrets(json.loads(secrets.read_text()), bytes(wallet))
    assert opened_id == request_id
    envelope_bytes = bytes(client.requested_event(request_id)["args"]["input"])
    payload, salt = env.open_with_wrap_secret(envelope_bytes, entries[0]["index"], entries[0]["secret"])
    assert payload == client.encode_input("similarity", "a cat sleeps", "a kitten naps")
    reference = bytes.fromhex(engine(net, "similarity", "--text", "a cat sleeps", "--text2", "a kitten naps")["output"][2:])
    fulfilled = client.fulfilled_event(request_id)["args"]
    assert bytes(fulfilled["outputCommitment"]) == output_commitment(salt, 0, reference)
    assert keccak(reference).hex() == swift["output_hash"].removeprefix("0x")
    with pytest.raises(env.EnvelopeError, match="another wallet key"):
        env.open_wrap_secrets(json.loads(secrets.read_text()), keccak(b"someone else"))


@pytest.mark.node_e2e
def test_refund_and_withdraw(network, client):
    net, _ = network
    for node in net.nodes:  # nobody answers: the nodes are stopped
        node.stop()
    try:
        minimum = net.deployment.params()["minResponseTime"]
        sent = client.request("embed", "nobody will answer", deadline_seconds=minimum)
        with pytest.raises(CloisterError, match="may still be answered"):
            client.refund(sent.id)
        net.chain.advance(sent.deadline - net.chain.block_timestamp() + 1, 1)
        before = client.credits()
        refund = client.refund(sent.id)
        assert refund["requester"] == client.address and refund["fee"] == sent.fee and refund["slashed"] > 0
        assert client.credits() == before + sent.fee
        with pytest.raises(CloisterError, match="no longer pending"):
            client.refund(sent.id)
        balance = client.w3.eth.get_balance(client.address)
        assert client.withdraw() == before + sent.fee
        assert client.credits() == 0 and client.w3.eth.get_balance(client.address) > balance
        assert client.withdraw() == 0
    finally:
        for node in net.nodes:  # the refund's timeout slash jailed the drawn node: it runs, not ready
            node.start(standing=False)
