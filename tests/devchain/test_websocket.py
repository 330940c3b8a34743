"""The WebSocket front (issue 19): eth_subscribe("newHeads") pushes every sealed block's header in order,
under automine, interval mining and a reorg; eth_unsubscribe stops it; plain JSON-RPC works on the socket.
The client is the `websockets` library's, independent of the server's framing code."""

import json
import time

import pytest
from websockets.sync.client import connect

from devchain.testing import Wallet, running_devchain

SUBSCRIPTION_FIELDS = {"number", "hash", "parentHash", "timestamp", "stateRoot", "logsBloom", "baseFeePerGas"}


class Socket:
    """A JSON-RPC client over one WebSocket connection that keeps notifications apart from replies."""

    def __init__(self, url: str):
        self.connection = connect(url, compression=None, open_timeout=5, legacy=True)
        self.notifications: list[dict] = []
        self.next_id = 1

    def call(self, method: str, *params, timeout: float = 5.0):
        request_id, self.next_id = self.next_id, self.next_id + 1
        self.connection.send(json.dumps({"jsonrpc": "2.0", "id": request_id, "method": method, "params": list(params)}))
        deadline = time.monotonic() + timeout
        while True:
            message = json.loads(self.connection.recv(timeout=max(0.01, deadline - time.monotonic())))
            if message.get("id") == request_id:
                return message
            self.notifications.append(message)

    def heads(self, count: int, timeout: float = 5.0) -> list[dict]:
        """Waits until `count` notifications arrived; returns them all (and keeps them)."""
        deadline = time.monotonic() + timeout
        while len(self.notifications) < count:
            self.notifications.append(json.loads(self.connection.recv(timeout=max(0.01, deadline - time.monotonic()))))
        return self.notifications

    def silent_for(self, seconds: float) -> bool:
        try:
            self.notifications.append(json.loads(self.connection.recv(timeout=seconds)))
        except TimeoutError:
            return True
        return False

    def close(self):
        self.connection.close()


@pytest.fixture(scope="module")
def chain():
    with running_devchain(extra_args=("--ws-port", "0")) as running:
        yield running


@pytest.fixture
def socket(chain):
    opened = Socket(chain.ws_url)
    yield opened
    opened.close()


def block(rpc, number: int) -> dict:
    return rpc.call("eth_getBlockByNumber", hex(number), False)


def check_heads(rpc, notifications: list[dict], subscription: str, first: int) -> None:
    """Consecutive blocks from `first`, each with the canonical hash, chained by parentHash."""
    for offset, note in enumerate(notifications):
        assert note["method"] == "eth_subscription"
        assert note["params"]["subscription"] == subscription
        header = note["params"]["result"]
        assert SUBSCRIPTION_FIELDS <= set(header)
        expected = block(rpc, first + offset)
        assert int(header["number"], 16) == first + offset
        assert (header["hash"], header["parentHash"], header["timestamp"]) == \
            (expected["hash"], expected["parentHash"], expected["timestamp"])


def test_ready_line_names_the_websocket_url(chain):
    assert chain.ws_url.startswith("ws://127.0.0.1:")


def test_plain_json_rpc_over_the_socket(chain, socket):
    reply = socket.call("eth_chainId")
    assert reply["result"] == hex(chain.chain_id)
    assert socket.call("eth_noSuchMethod")["error"]["code"] == -32601


def test_automined_blocks_arrive_in_order_with_their_hashes(chain, socket):
    rpc = chain.client
    subscription = socket.call("eth_subscribe", "newHeads")["result"]
    first = int(rpc.call("eth_blockNumber"), 16) + 1
    wallet = Wallet(rpc, chain.accounts[0].private_key, chain.chain_id)
    for _ in range(3):
        wallet.transact(to="0x" + "11" * 20, value=1)  # one block each under automine
    rpc.call("anvil_mine", "0x2")
    check_heads(rpc, socket.heads(5), subscription, first)


def test_unsubscribe_stops_the_notifications(chain, socket):
    rpc = chain.client
    subscription = socket.call("eth_subscribe", "newHeads")["result"]
    rpc.call("evm_mine")
    socket.heads(1)
    assert socket.call("eth_unsubscribe", subscription)["result"] is True
    assert socket.call("eth_unsubscribe", subscription)["result"] is False  # already gone
    rpc.call("evm_mine")
    assert socket.silent_for(0.5)
    assert len(socket.notifications) == 1


def test_every_subscriber_gets_every_head(chain):
    rpc = chain.client
    sockets = [Socket(chain.ws_url) for _ in range(2)]
    try:
        ids = [s.call("eth_subscribe", "newHeads")["result"] for s in sockets]
        assert ids[0] != ids[1]
        first = int(rpc.call("eth_blockNumber"), 16) + 1
        rpc.call("anvil_mine", "0x3")
        for s, subscription in zip(sockets, ids):
            check_heads(rpc, s.heads(3), subscription, first)
    finally:
        for s in sockets:
            s.close()


def test_a_reorg_pushes_the_new_branch(chain, socket):
    rpc = chain.client
    rpc.call("anvil_mine", "0x3")
    subscription = socket.call("eth_subscribe", "newHeads")["result"]
    fork_point = int(rpc.call("eth_blockNumber"), 16) - 2
    rpc.call("devchain_reorg", 2)  # orphans two blocks, seals three on the fork point
    notes = socket.heads(3)
    check_heads(rpc, notes, subscription, fork_point + 1)


def test_other_subscription_types_are_refused_not_dropped(socket):
    reply = socket.call("eth_subscribe", "logs", {})
    assert reply["error"]["code"] == -32602
    assert "newHeads" in reply["error"]["message"]
    assert socket.call("eth_subscribe")["error"]["code"] == -32602
    assert socket.call("eth_chainId")["result"]  # the connection is still usable


def test_a_closed_connection_does_not_disturb_sealing_or_other_subscribers(chain):
    rpc = chain.client
    closed = Socket(chain.ws_url)
    closed.call("eth_subscribe", "newHeads")
    closed.close()
    time.sleep(0.3)
    rpc.call("evm_mine")
    probe = Socket(chain.ws_url)
    try:
        subscription = probe.call("eth_subscribe", "newHeads")["result"]
        first = int(rpc.call("eth_blockNumber"), 16) + 1
        rpc.call("evm_mine")
        check_heads(rpc, probe.heads(1), subscription, first)
    finally:
        probe.close()


def test_interval_mined_blocks_arrive_about_a_block_time_apart():
    with running_devchain(extra_args=("--block-time", "1", "--ws-port", "0")) as paced:
        socket = Socket(paced.ws_url)
        try:
            subscription = socket.call("eth_subscribe", "newHeads")["result"]
            first = int(paced.client.call("eth_blockNumber"), 16) + 1
            arrivals = []
            for count in range(1, 4):
                socket.heads(count, timeout=3.0)
                arrivals.append(time.monotonic())
            check_heads(paced.client, socket.notifications[:3], subscription, first)
            gaps = [b - a for a, b in zip(arrivals, arrivals[1:])]
            assert all(0.6 < gap < 1.6 for gap in gaps), gaps
            stamps = [int(n["params"]["result"]["timestamp"], 16) for n in socket.notifications[:3]]
            assert [b - a for a, b in zip(stamps, stamps[1:])] == [1, 1]
        finally:
            socket.close()


def test_without_the_option_there_is_no_websocket(chain):
    with running_devchain() as plain:
        assert plain.ws_url is None
