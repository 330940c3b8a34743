"""`cloister node register` as an operator meets it: idempotent, renewable while the node runs, and
refused by the committee with a reason when the request is out of bounds."""
from __future__ import annotations

import json
import os
import subprocess
import urllib.error
import time
import urllib.request

import pytest

from eth_utils import keccak

from devnet.accounts import DIRECT_REQUESTER, make_wallet
from devnet.network import SEED, dev_network
from devnet.traffic import Sender, plan

FULFILLED = "0x" + keccak(text="Fulfilled(bytes32,uint256,uint256,bytes32,uint256,bool,bytes,uint256)").hex()
REQUESTED = "0x" + keccak(text="Requested(bytes32,uint256,bytes32,address,address,uint256,uint256,uint256,uint256[],bytes,bytes)").hex()


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    with dev_network(tmp_path_factory.mktemp("registration"), node_count=1) as net:
        yield net


def register(net, *extra: str) -> subprocess.CompletedProcess:
    node = net.nodes[0]
    argv = net.cloister.argv("node", "register", "--config", node.config, "--committee", net.committee.url, *extra)
    return subprocess.run([str(a) for a in argv], capture_output=True, text=True, timeout=300)


def status(node) -> dict:
    with urllib.request.urlopen(node.url + "/v1/status", timeout=5) as response:
        return json.loads(response.read())


@pytest.mark.node_e2e
def test_registering_again_sends_nothing(network):
    before = network.chain.nonces(network.nodes[0].wallet.address)
    done = register(network)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("already registered: node 1")
    assert network.chain.nonces(network.nodes[0].wallet.address) == before
    # The dev network stakes exactly the minimum: one 1 % timeout slash would jail the node.
    assert "warning: stake 1000000000000000000 wei leaves no margin above the minimum" in done.stdout, done.stdout
    assert "stake at least 1010101010101010102 wei" in done.stdout, done.stdout


@pytest.mark.node_e2e
def test_one_writer_per_node(network, tmp_path):
    """A second `node run` on the same store refuses at once, naming the holder; `rotate-key` refuses while
    the node runs; a keystore that is not the node's operator is refused even with a store of its own."""
    node = network.nodes[0]
    argv = [str(a) for a in network.cloister.argv("node", "run", "--config", node.config)]
    started = time.monotonic()
    second = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    assert second.returncode != 0 and time.monotonic() - started < 10
    assert "in use by another cloister process (pid " in second.stderr and "node run" in second.stderr, second.stderr
    rotate = node_command(network, "rotate-key", "--committee", network.committee.url)
    assert rotate.returncode != 0 and "in use by another cloister process" in rotate.stderr, rotate.stderr
    shown = node_command(network, "status")
    assert shown.returncode == 0, shown.stdout + shown.stderr
    assert shown.stdout.startswith("node 1: active, running (pid ") and "ready: the chain shows this node can take work" in shown.stdout
    assert "stake: 1 ETH (1000000000000000000 wei)" in shown.stdout, shown.stdout

    stranger = make_wallet(network.cloister, tmp_path / "stranger", "stranger", DIRECT_REQUESTER)
    env = dict(os.environ, CLOISTER_OPERATOR_KEYSTORE=str(stranger.keystore), CLOISTER_OPERATOR_PASSWORD_FILE=str(stranger.password_file),
               CLOISTER_STORE_PATH=str(tmp_path / "other.sqlite"), CLOISTER_HTTP_PORT="0")
    refused = subprocess.run(argv, capture_output=True, text=True, timeout=60, env=env)
    assert refused.returncode != 0 and "node 1 is operated by" in refused.stderr and "point operator.keystore" in refused.stderr, refused.stderr


@pytest.mark.node_e2e
def test_committee_refuses_an_expiry_beyond_the_collateral_with_its_reason(network):
    done = register(network, "--renew", "--validity-days", "40")
    assert done.returncode != 0
    assert "refused the quote" in done.stderr and "expiry" in done.stderr


@pytest.mark.node_e2e
def test_renewal_reaches_the_running_node_and_its_results(network):
    node = network.nodes[0]
    old_expiry = status(node)["attestationExpiry"]
    done = register(network, "--renew", "--validity-days", "9")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("renewed node 1")
    new_expiry = int(done.stdout.splitlines()[0].rsplit("valid until ", 1)[1])
    assert new_expiry > old_expiry
    deadline = time.monotonic() + 45
    while status(node)["attestationExpiry"] != new_expiry:
        assert time.monotonic() < deadline, "the running node did not pick up the renewal"
        time.sleep(1)
    # The chain now accepts only the renewed attestation: a result carrying the old one would revert.
    sender = Sender(network.chain, network.deployment)
    sent = sender.send(plan(1, malformed=0)[0])
    fulfilled = []
    deadline = time.monotonic() + 60
    while not fulfilled:
        assert time.monotonic() < deadline, "no fulfilment after the renewal"
        fulfilled = network.chain.rpc.call("eth_getLogs", {"address": network.deployment.core.address, "fromBlock": "0x0",
                                                           "toBlock": "latest", "topics": [FULFILLED, "0x" + sent.id.hex()]})
        time.sleep(0.5)



@pytest.mark.node_e2e
def test_rotation_keeps_the_node_and_finishes_work_sealed_to_the_old_key(network):
    """Stop the node, seal a request to the current key, rotate, restart: the request is still served."""
    node = network.nodes[0]
    old_signer = status(node)["enclaveSigner"]
    node.stop()
    wallet = make_wallet(network.cloister, network.state_dir / "requester", "requester", DIRECT_REQUESTER)
    argv = network.cloister.argv("request", "--rpc", network.chain.url, "--deployment", network.deployment.path,
                                 "--keystore", wallet.keystore, "--password-file", wallet.password_file, "--json",
                                 "--task", "classify", "--text", "the match ended in a draw", "--labels", "sport,finance",
                                 "--encrypt", "--allow-simulated", "--simulation-seed", SEED, "--timeout-seconds", "120")
    def requested() -> int:
        return len(network.chain.rpc.call("eth_getLogs", {"address": network.deployment.core.address, "fromBlock": "0x0",
                                                          "toBlock": "latest", "topics": [REQUESTED]}))

    before = requested()
    in_flight = subprocess.Popen([str(a) for a in argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while requested() == before:
            assert in_flight.poll() is None, in_flight.stderr.read()
            assert time.monotonic() < deadline, "the confidential request was not sent"
            time.sleep(0.5)
        done = node_command(network, "rotate-key", "--committee", network.committee.url)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("rotated node 1 to signer ")
        new_signer = done.stdout.split("to signer ", 1)[1].split(",", 1)[0]
        assert new_signer.lower() != old_signer.lower()
        node.start()
        assert status(node)["enclaveSigner"].lower() == new_signer.lower()
        out, err = in_flight.communicate(timeout=150)
    finally:
        if in_flight.poll() is None:
            in_flight.kill()
    assert in_flight.returncode == 0, err
    result = json.loads(out)
    assert result["status"] == 0 and result["commitment_matches"] and result["label"] == "sport"


def balance(net, address: str) -> int:
    return int(net.chain.rpc.call("eth_getBalance", address, "latest"), 16)


def node_command(net, *args: str) -> subprocess.CompletedProcess:
    argv = net.cloister.argv("node", *args, "--config", net.nodes[0].config)
    return subprocess.run([str(a) for a in argv], capture_output=True, text=True, timeout=300)


def run_node(net, env_changes: dict[str, str], timeout: float = 30) -> tuple[subprocess.CompletedProcess, float]:
    argv = [str(a) for a in net.cloister.argv("node", "run", "--config", net.nodes[0].config)]
    started = time.monotonic()
    done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=dict(os.environ, **env_changes))
    return done, time.monotonic() - started


@pytest.mark.node_e2e
def test_start_up_failures_are_one_line_naming_the_setting_and_the_fix(network, tmp_path):
    """The operator review's start-up failures: each exits at once, names the setting and the fix, and
    carries no Swift-internal error text."""
    node = network.nodes[0]
    own_store = {"CLOISTER_STORE_PATH": str(tmp_path / "jobs.sqlite"), "CLOISTER_HTTP_PORT": "0"}
    port = int(node.url.rsplit(":", 1)[1])
    cases = [
        ({**own_store, "CLOISTER_CHAIN_RPC": "http://127.0.0.1:1"}, ["no chain.rpc endpoint answered", "http://127.0.0.1:1", "connection refused", "correct chain.rpc"]),
        ({**own_store, "CLOISTER_HTTP_PORT": str(port)}, [f"http.port {port} on 127.0.0.1 is in use by another process", "choose another http.port"]),
        ({"CLOISTER_STORE_PATH": "/proc/cloister-state/jobs.sqlite"}, ["/proc/cloister-state/jobs.sqlite.lock", "make the folder of store.path writable"]),
        ({**own_store, "CLOISTER_CHAIN_CONFIRMATION": "1"}, ["CLOISTER_CHAIN_CONFIRMATION", "did you mean CLOISTER_CHAIN_CONFIRMATIONS?"]),
        ({**own_store, "CLOISTER_LOG_LEVEL": "verbose"}, ["CLOISTER_LOG_LEVEL=verbose is not a log level", "debug"]),
    ]
    for env, fragments in cases:
        done, took = run_node(network, env)
        assert done.returncode != 0, (env, done.stdout)
        assert took < 10, (env, took)
        for fragment in fragments:
            assert fragment in done.stderr, (env, fragment, done.stderr)
        for internal in ("errno:", "IOError", "DecodingError", "NSCocoaErrorDomain", "SQLite error", "bind(descriptor"):
            assert internal not in done.stderr, (env, internal, done.stderr)
    committee = subprocess.run([str(a) for a in network.cloister.argv(
        "committee", "serve", "--deployment", network.deployment.path, "--keystore", node.wallet.keystore,
        "--password-file", node.wallet.password_file, "--port", "70000")], capture_output=True, text=True, timeout=30)
    assert committee.returncode != 0 and "--port 70000 is not a TCP port" in committee.stderr, committee.stderr
    stranger = subprocess.run([str(a) for a in network.cloister.argv(
        "committee", "serve", "--rpc", network.chain.url, "--deployment", network.deployment.path, "--keystore", node.wallet.keystore,
        "--password-file", node.wallet.password_file, "--port", "0", "--allow-simulated")], capture_output=True, text=True, timeout=30)
    assert stranger.returncode != 0 and "is not a member of the committee" in stranger.stderr, stranger.stderr


@pytest.mark.node_e2e
def test_exit_unbonds_and_withdraw_returns_the_stake(network):
    """Runs last in this module: the node stops taking work."""
    operator = network.nodes[0].wallet.address
    done = node_command(network, "exit")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("node 1 is exiting")
    # The running node's health follows the chain: not ready, with the reason, within a refresh.
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(network.nodes[0].url + "/readyz", timeout=5)
        except urllib.error.HTTPError as refused:
            checks = {c["name"]: c for c in json.loads(refused.read())["checks"]}
            assert not checks["standing"]["ok"] and "exiting" in checks["standing"]["detail"], checks
            break
        assert time.monotonic() < deadline, "/readyz stayed ready after exit"
        time.sleep(1)
    assert status(network.nodes[0])["standing"]["status"] == "exiting"
    shown = node_command(network, "status")
    assert shown.returncode == 1 and "problem: exiting: the node takes no new requests" in shown.stdout, shown.stdout
    early = node_command(network, "withdraw")
    assert early.returncode == 0, early.stderr
    assert "still unbonding" in early.stdout
    network.chain.advance(3 * 86_400 + 60, 1)  # the default unbonding period
    balance_before = balance(network, operator)
    done = node_command(network, "withdraw")
    assert done.returncode == 0, done.stderr
    assert "stake of node 1 (1000000000000000000 wei) credited" in done.stdout
    withdrawn = int(done.stdout.split("withdrew ", 1)[1].split(" wei")[0])
    assert withdrawn >= 10**18
    assert balance(network, operator) > balance_before + 10**18 - 10**16  # minus gas
    again = node_command(network, "withdraw")
    assert again.returncode == 0 and "nothing credited" in again.stdout
