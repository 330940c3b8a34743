"""A node with `[llm]` serves a model from an OpenAI-compatible server (here a stub over real HTTP):
canonical output on chain, retries while the server is unavailable, an error result when it refuses."""
from __future__ import annotations

import json
import threading
import time
import unicodedata
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import eth_abi
import pytest
from eth_utils import keccak

from devnet.accounts import DIRECT_REQUESTER, OWNER, make_wallet, operator_account
from devnet.network import SEED, dev_network
from devnet.nodes import Node

SERVED = "stub-llm-7b"
SEED_LLM = 7
MAX_TOKENS = 64
FEE = 10**15
FULFILLED = "0x" + keccak(text="Fulfilled(bytes32,uint256,uint256,bytes32,uint256,bool,bytes,uint256)").hex()


def model_id() -> bytes:
    """Recomputed here from docs/inference.md, independently of the Swift code."""
    return keccak(eth_abi.encode(["string", "string", "uint64", "uint32"], ["openai-chat/1", SERVED, SEED_LLM, MAX_TOKENS]))


class StubServer(ThreadingHTTPServer):
    """Answers chat completions like an OpenAI-compatible server; records the bodies it received."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), StubHandler)
        self.bodies: list[dict] = []
        self.unavailable_left = {"please retry": 1}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


class StubHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.bodies.append(body)
        prompt = body["messages"][0]["content"]
        if self.server.unavailable_left.get(prompt, 0) > 0:
            self.server.unavailable_left[prompt] -= 1
            return self.reply(503, {"error": "warming up"})
        if prompt == "refuse this":
            return self.reply(400, {"error": "context length exceeded"})
        content = f"Answer to: {prompt}\r\nCafe\u0301."  # CRLF and a decomposed accent: canonicalised by the node
        self.reply(200, {"id": f"chatcmpl-{time.time_ns()}", "object": "chat.completion", "created": int(time.time()),
                         "model": SERVED, "system_fingerprint": "fp_x",
                         "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
                         "usage": {"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12}})

    def reply(self, status: int, payload: dict):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    server = StubServer()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with dev_network(tmp_path_factory.mktemp("llm"), node_count=0) as net:
        owner = net.chain.signer(OWNER)
        owner.transact(net.deployment.core, "setModel", model_id(), FEE, False, True)
        folder = net.state_dir / "node-llm"
        wallet = make_wallet(net.cloister, folder, "operator", operator_account(0))
        node = Node(0, net.cloister, net.chain, net.deployment.path, wallet, folder, SEED, confirmations=0)
        with open(node.config, "a") as config:
            config.write(f'\n[llm]\nurl = "{server.url}"\nserved_model = "{SERVED}"\nseed = {SEED_LLM}\nmax_tokens = {MAX_TOKENS}\n'
                         'timeout_ms = 5000\n')
        with node:
            node.register(net.committee.url)
            node.start()
            yield net, node, server
    server.shutdown()


def ask(net, prompt: str) -> bytes:
    requester = net.chain.signer(DIRECT_REQUESTER)
    deadline = net.chain.block_timestamp() + 600
    receipt = requester.transact(net.deployment.core, "request", model_id(), eth_abi.encode(["string"], [prompt]),
                                 "0x" + "00" * 20, 0, deadline, b"", [], value=FEE)
    return next(fields for name, fields in net.deployment.core.events(receipt) if name == "Requested")["id"]


def fulfilment(net, request_id: bytes, timeout: float = 60) -> tuple[int, bytes]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        logs = net.chain.rpc.call("eth_getLogs", {"address": net.deployment.core.address, "fromBlock": "0x0", "toBlock": "latest",
                                                  "topics": [FULFILLED, "0x" + request_id.hex()]})
        if logs:
            assert len(logs) == 1
            status, _, _, _, output = eth_abi.decode(["uint256", "bytes32", "uint256", "bool", "bytes"], bytes.fromhex(logs[0]["data"][2:]))
            return status, output
        time.sleep(0.3)
    raise AssertionError(f"request 0x{request_id.hex()} not fulfilled within {timeout} s")


@pytest.mark.node_e2e
def test_the_canonical_completion_goes_on_chain(setup):
    net, node, server = setup
    status, output = fulfilment(net, ask(net, "What is the capital of France?"))
    expected_text = unicodedata.normalize("NFC", "Answer to: What is the capital of France?\nCafe\u0301.")
    assert status == 0
    assert output == eth_abi.encode(["string", "string"], [expected_text, "stop"])
    sent = next(b for b in server.bodies if b["messages"][0]["content"] == "What is the capital of France?")
    assert sent["model"] == SERVED and sent["temperature"] == 0 and sent["seed"] == SEED_LLM and sent["max_tokens"] == MAX_TOKENS


@pytest.mark.node_e2e
def test_an_unavailable_server_is_retried_not_answered(setup):
    net, node, server = setup
    status, output = fulfilment(net, ask(net, "please retry"))
    assert status == 0, output
    assert sum(1 for b in server.bodies if b["messages"][0]["content"] == "please retry") == 2


@pytest.mark.node_e2e
def test_a_refusal_becomes_an_error_result_and_a_bad_input_too(setup):
    net, node, server = setup
    status, output = fulfilment(net, ask(net, "refuse this"))
    assert status == 4 and b"refused" in output
    requester = net.chain.signer(DIRECT_REQUESTER)
    receipt = requester.transact(net.deployment.core, "request", model_id(), b"\x01\x02", "0x" + "00" * 20, 0,
                                 net.chain.block_timestamp() + 600, b"", [], value=FEE)
    request_id = next(fields for name, fields in net.deployment.core.events(receipt) if name == "Requested")["id"]
    status, _ = fulfilment(net, request_id)
    assert status == 1
