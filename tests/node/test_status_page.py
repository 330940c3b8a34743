"""The operator's status page, as an operator sees it: a real node on the local chain, the page at `/`
rendered by a real browser (Debian's headless Chromium), a request sent during the test shown answered
on the page, and the JSON log format."""
from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.request

import pytest
from websockets.sync.client import connect

from devnet.network import dev_network
from devnet.traffic import Sender, plan

pytestmark = pytest.mark.node_e2e


def browser() -> str:
    path = shutil.which("chromium")
    assert path, "Debian's chromium is not installed: run `make setup` (scripts/setup.sh installs it)"
    return path


class Browser:
    """Headless Chromium driven over the DevTools protocol: the page stays open and updates itself from its
    event stream, and the test reads its live DOM (no reload)."""

    def __init__(self, profile):
        self.process = subprocess.Popen([browser(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                         "--remote-debugging-port=0", f"--user-data-dir={profile}", "about:blank"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while True:
            line = self.process.stderr.readline()
            if "DevTools listening on " in line:
                port = int(line.split("ws://127.0.0.1:", 1)[1].split("/", 1)[0])
                break
            assert line and time.monotonic() < deadline, "chromium did not start its DevTools endpoint"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
            page = next(t for t in json.loads(response.read()) if t["type"] == "page")
        self.connection = connect(page["webSocketDebuggerUrl"], max_size=None)
        self.socket = self.connection.__enter__()
        self.ids = 0

    def call(self, method: str, **params):
        self.ids += 1
        self.socket.send(json.dumps({"id": self.ids, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv(timeout=30))
            if message.get("id") == self.ids:
                assert "error" not in message, message
                return message["result"]

    def evaluate(self, expression: str):
        return self.call("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 60):
        """Evaluates `expression` until it is truthy; returns its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            assert time.monotonic() < deadline, f"the page never showed: {expression}"
            time.sleep(0.5)

    def close(self):
        self.connection.__exit__(None, None, None)
        self.process.kill()
        self.process.wait(timeout=10)


JOB_STATE = "(document.querySelector('#latest tr[data-request=\"{id}\"]') || {{dataset: {{}}}}).dataset.state || ''"


def job_state(node, request_id: str) -> str | None:
    try:
        with urllib.request.urlopen(f"{node.url}/v1/jobs/{request_id}", timeout=5) as response:
            return json.loads(response.read())[0]["state"]
    except urllib.error.HTTPError:
        return None


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    with dev_network(tmp_path_factory.mktemp("status-page"), node_count=1) as net:
        yield net


def test_a_request_sent_during_the_test_appears_answered_on_the_page(network, tmp_path):
    node = network.nodes[0]
    page = Browser(tmp_path / "profile")
    try:
        page.call("Page.enable")
        page.call("Page.navigate", url=node.url + "/")
        banner = page.wait_for("document.querySelector('#banner').textContent")
        assert banner.startswith("Ready: taking work."), banner
        assert "ETH" in page.wait_for("document.querySelector('#standing').textContent"), "stake in decimal ETH"
        sent = Sender(network.chain, network.deployment).send(next(p for p in plan(2, malformed=0) if p.via == "direct"))
        request_id = "0x" + sent.id.hex()
        # The page is not reloaded: it learns of the job and of its answer from the event stream.
        state = page.wait_for(f"['confirmed', 'final'].includes({JOB_STATE.format(id=request_id)}) && {JOB_STATE.format(id=request_id)}")
        assert state in ("confirmed", "final")
        assert job_state(node, request_id) == state, "the page shows what the node's API says"
    finally:
        page.close()


def test_the_event_stream_carries_status_readiness_and_decimal_wei(network):
    node = network.nodes[0]
    with urllib.request.urlopen(node.url + "/v1/events", timeout=10) as stream:
        assert stream.headers["Content-Type"].startswith("text/event-stream")
        assert stream.readline().decode().strip() == "event: status"
        event = json.loads(stream.readline().decode().removeprefix("data: "))
    assert event["ready"] is True and {c["name"] for c in event["checks"]} >= {"chain", "standing", "services"}
    assert event["status"]["standing"]["status"] == "active"
    slashed = event["status"]["duties"]["slashedWei"]
    assert slashed.isdigit(), f"wei in decimal, not hex: {slashed}"
    with urllib.request.urlopen(node.url + "/metrics", timeout=5) as response:
        assert 'cloister_build_info{version="0.1.0"} 1' in response.read().decode()


def test_an_open_page_does_not_hold_up_a_graceful_shutdown(network):
    """SIGTERM with the page's event stream open: the stream ends and the node exits cleanly (status 0) at
    once, instead of waiting for the browser (and being killed after the grace period)."""
    node = network.nodes[0]
    try:
        with urllib.request.urlopen(node.url + "/v1/events", timeout=10) as stream:
            assert stream.readline().decode().strip() == "event: status"
            started = time.monotonic()
            status = node.stop()
            took = time.monotonic() - started
            assert stream.read() is not None  # the server ended the stream
        assert status == 0 and took < 8, (status, took)
    finally:
        node.start()
