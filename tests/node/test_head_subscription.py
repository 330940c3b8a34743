"""`chain.ws` on a real node (issue 19): new heads pushed by the chain's WebSocket endpoint wake the node,
and when the subscription is cut the node keeps serving every request exactly once by polling, logs the
loss once per cause, and resubscribes when the endpoint is back.

The node's `chain.ws` points at a relay in this test that forwards to the local chain's `--ws-port`, so
the test can cut the WebSocket without touching the chain or its HTTP endpoint.
"""
from __future__ import annotations

import subprocess
import threading
import time

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect
from websockets.sync.server import serve

from devnet import ROOT
from devnet.binary import Cloister
from devnet.network import dev_network
from devnet.scenario import run_traffic
from devnet.traffic import plan

pytestmark = pytest.mark.node_e2e

SUBSCRIBED = "subscribed to new heads"
LOST = "head subscription unavailable"
RECOVERED = "head subscription recovered"


class Relay:
    """Forwards WebSocket connections to `upstream` (set once known); `cut()` closes every connection and
    stops listening, `resume()` listens again on the same port."""

    def __init__(self):
        self.upstream: str | None = None
        self.ready = threading.Event()
        self.connections: list = []
        self.lock = threading.Lock()
        self._server = serve(self._relay, "127.0.0.1", 0, compression=None)
        self.port = self._server.socket.getsockname()[1]
        self._start()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def _start(self):
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def _relay(self, client):
        if not self.ready.wait(120):
            return
        with connect(self.upstream, compression=None) as server:
            with self.lock:
                self.connections += [client, server]

            def pump(source, sink):
                try:
                    for message in source:
                        sink.send(message)
                except ConnectionClosed:
                    pass
                finally:
                    source.close()
                    sink.close()

            other = threading.Thread(target=pump, args=(server, client), daemon=True)
            other.start()
            pump(client, server)
            other.join(5)

    def cut(self):
        self._server.shutdown()
        with self.lock:
            for connection in self.connections:
                connection.close()
            self.connections = []

    def resume(self):
        self._server = serve(self._relay, "127.0.0.1", self.port, compression=None)
        self._start()


@pytest.fixture(scope="module")
def relay():
    relay = Relay()
    yield relay
    relay.cut()


@pytest.fixture(scope="module")
def net(tmp_path_factory, relay):
    cloister = Cloister()
    if not cloister.path.exists():
        subprocess.run(["swift", "build", "--product", "cloister"], cwd=ROOT, check=True, timeout=3600)
    with dev_network(tmp_path_factory.mktemp("devnet"), node_count=1, cloister=cloister,
                     chain_settings={"ws": relay.url}) as network:
        relay.upstream = network.chain.ws_url
        relay.ready.set()
        yield network


def log_lines(net, text: str) -> list[str]:
    return [line for line in net.nodes[0].child.log_path.read_text().splitlines() if text in line]


def wait_for_log(net, text: str, timeout: float, mine: bool = False) -> None:
    deadline = time.monotonic() + timeout
    while not log_lines(net, text):
        assert time.monotonic() < deadline, f"the node never logged {text!r} within {timeout} s"
        if mine:
            net.chain.rpc.call("evm_mine")  # a head to deliver
        time.sleep(0.5)


def served_once(net, count: int, seed: int) -> None:
    run = run_traffic(net, plan(count, malformed=0, seed=seed), timeout=120, stall=60)
    missing = [s.id for s in run.sent if s.id not in run.observer.fulfilled]
    assert not missing, f"{len(missing)} requests without a result"
    assert all(len(run.observer.fulfilled[i]) == 1 for i in run.ids)


def test_subscribed_node_serves_requests_once(net):
    wait_for_log(net, SUBSCRIBED, timeout=60)
    served_once(net, 6, seed=21)
    assert not log_lines(net, LOST)


def test_cut_subscription_falls_back_to_polling_and_comes_back(net, relay):
    wait_for_log(net, SUBSCRIBED, timeout=60)
    relay.cut()
    wait_for_log(net, LOST, timeout=30)
    served_once(net, 6, seed=22)  # by polling alone
    # Once per cause (the cut connection, then the refused reconnections), not once per retry.
    assert 1 <= len(log_lines(net, LOST)) <= 3, log_lines(net, LOST)
    relay.resume()
    wait_for_log(net, RECOVERED, timeout=60, mine=True)  # the back-off is at most 30 s
    served_once(net, 6, seed=23)
