#!/usr/bin/env python3
"""A JSON-RPC proxy that sits in front of a node and misbehaves on a seeded schedule.

    .venv/bin/python scripts/rpc_fault_proxy.py --upstream http://127.0.0.1:8545 --port 0 \
        --fault-rate 0.2 --seed 7 [--faults http429,timeout,...] [--timeout-delay 3] [--lag-blocks 3]

Prints `rpc_fault_proxy: listening on http://127.0.0.1:PORT upstream=...` once ready. Each POST
draws from a random.Random(seed) in arrival order: with probability --fault-rate it suffers one
fault picked uniformly from those of --faults that can apply to it (a lagging-backend kind applies only
to its method), otherwise it is forwarded untouched. `GET /stats` answers
{"requests": n, "forwarded": n, "faults": {kind: count}}; `POST /control` with {"fault_rate": x}
changes the rate from then on (e.g. 0 to heal) and answers the same statistics.

Fault kinds (all of these by default):
  http429        429 with Retry-After: 0, not forwarded
  http500        500, not forwarded
  http503        503, not forwarded
  rpc_rate_limit 200 with a JSON-RPC error -32005 "rate limit exceeded" per request, not forwarded
  timeout        forwarded, answered only after --timeout-delay seconds
  drop           forwarded, then the connection is closed without an answer
  truncate       forwarded, the answer cut in half (a JSON syntax error, with a matching Content-Length)
  wrong_id       forwarded, the answer's ids changed
  wrong_version  forwarded, "jsonrpc" changed to "1.0"
  wrong_shape    forwarded, a result replaced by a value of the wrong JSON type or malformed hex
  wrong_answer   forwarded, a result replaced by a well-formed answer to another question (another
                 block number, another transaction's receipt, a hash that is not the sent
                 transaction's); where no such answer exists for the method, wrong_shape instead

Lagging-backend kinds (only when named in --faults): a load-balanced provider whose backend is a few
blocks behind the others answers from its own, older view of the chain. "The newest blocks" are the
--lag-blocks highest block numbers the upstream has (its head included); the upstream's head is read
with one eth_blockNumber per decision. A drawn kind whose condition does not hold for the request
(say a log range that ends far below the head) is not applied and is counted as forwarded.
  empty_logs     an eth_getLogs whose range reaches one of the newest blocks (toBlock "latest" or a
                 missing toBlock, a number among the newest, or a blockHash of one of them) answered []
                 without asking the upstream: the events are there, the backend has not seen them yet
  null_block     an eth_getBlockByNumber for one of the newest block numbers answered null (tags are
                 not affected)
  stale_head     eth_blockNumber answered 1..--lag-blocks below the real head
  estimate_fail  an eth_estimateGas answered with a transient failure instead of an estimate, one of:
                 an HTTP 503, a JSON-RPC -32603 "internal error", a -32603 "request timed out"; never
                 "execution reverted", so a client that tells transient errors from reverts can retry
In a batch, a lagging kind changes every element it applies to (estimate_fail answers them with
-32603); the batch is otherwise forwarded.

Every corruption is one a strict client can detect; a proxy that changed a balance to another valid
number would be undetectable by any client and is deliberately not offered. Faults that forward
(timeout, drop, truncate, wrong_*) make delivery ambiguous for eth_sendRawTransaction, as on a real
network.
"""

import argparse
import http.client
import json
import random
import socket
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FAULT_KINDS = ("http429", "http500", "http503", "rpc_rate_limit", "timeout", "drop", "truncate",
               "wrong_id", "wrong_version", "wrong_shape", "wrong_answer")
LAGGING_METHOD = {"empty_logs": "eth_getLogs", "null_block": "eth_getBlockByNumber", "stale_head": "eth_blockNumber",
                  "estimate_fail": "eth_estimateGas"}
LAGGING_KINDS = tuple(LAGGING_METHOD)
KNOWN_KINDS = FAULT_KINDS + LAGGING_KINDS
HEAD_TAGS = ("latest", "pending", "safe", "finalized")
ESTIMATE_FAILURES = ("http503", "internal error", "request timed out")
MAX_BODY_BYTES = 32 * 1024 * 1024


class FaultSchedule:
    """Seeded decisions in arrival order, plus counters for /stats."""

    def __init__(self, rate: float, kinds: tuple[str, ...], seed: int):
        self.rate = rate
        self.kinds = kinds
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        self.requests = 0
        self.forwarded = 0
        self.counts = {kind: 0 for kind in kinds}

    def next_fault(self, methods: set[str] = frozenset()) -> str | None:
        """The fault for a request calling `methods`, or None to forward it untouched."""
        with self.lock:
            self.requests += 1
            kinds = [k for k in self.kinds if k not in LAGGING_METHOD or LAGGING_METHOD[k] in methods]
            if kinds and self.random.random() < self.rate:
                kind = kinds[self.random.randrange(len(kinds))]
                self.counts[kind] += 1
                return kind
            self.forwarded += 1
            return None

    def withdraw(self, kind: str) -> None:
        """A drawn fault that turned out not to apply: the request is forwarded and counted so."""
        with self.lock:
            self.counts[kind] -= 1
            self.forwarded += 1

    def set_rate(self, rate: float) -> None:
        with self.lock:
            self.rate = rate

    def pick(self, population):
        with self.lock:
            return population[self.random.randrange(len(population))]

    def stats(self) -> dict:
        with self.lock:
            return {"requests": self.requests, "forwarded": self.forwarded, "faults": dict(self.counts)}


class Upstream:
    """One keep-alive connection per proxy thread to the upstream node."""

    def __init__(self, url: str):
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme != "http" or not parsed.hostname:
            raise ValueError("--upstream must be an http:// URL")
        self.host, self.port = parsed.hostname, parsed.port or 80
        self.path = parsed.path or "/"
        self.local = threading.local()

    def post(self, body: bytes) -> tuple[int, bytes]:
        for attempt in (1, 2):  # a kept-alive connection may have been closed by the upstream
            connection = getattr(self.local, "connection", None)
            if connection is None:
                connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
                self.local.connection = connection
            try:
                connection.request("POST", self.path, body, {"Content-Type": "application/json"})
                response = connection.getresponse()
                return response.status, response.read()
            except (OSError, http.client.HTTPException):
                connection.close()
                self.local.connection = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def corrupt(kind: str, request: object, answer: object, schedule: FaultSchedule) -> object:
    """The answer after a content fault; `request` is the parsed request (object or batch)."""
    if isinstance(answer, list):
        if not answer:
            return answer
        index = schedule.pick(range(len(answer)))
        requests = request if isinstance(request, list) else []
        by_id = {r.get("id"): r for r in requests if isinstance(r, dict)}
        target = answer[index]
        answer = list(answer)
        answer[index] = corrupt(kind, by_id.get(target.get("id") if isinstance(target, dict) else None, {}),
                                target, schedule)
        return answer
    if not isinstance(answer, dict):
        return answer
    answer = dict(answer)
    if kind == "wrong_id":
        answer["id"] = answer["id"] + 1000 if isinstance(answer.get("id"), int) else 424242
    elif kind == "wrong_version":
        answer["jsonrpc"] = "1.0"
    elif "result" in answer:
        wrong = wrong_answer(request, answer["result"]) if kind == "wrong_answer" else None
        answer["result"] = wrong if wrong is not None else wrong_shape(answer["result"])
    else:
        answer["jsonrpc"] = "1.0"  # an error answer has no result to corrupt: break the envelope
    return answer


def wrong_shape(result: object) -> object:
    if isinstance(result, str):
        # Short quantities become JSON numbers; anything longer keeps its length but gets a non-hex
        # digit. (Dropping a digit instead would turn a long quantity into another valid quantity, a
        # corruption no client could detect.)
        return int(result[2:] or "0", 16) % 1000 if result.startswith("0x") and len(result) < 20 else result[:-1] + "z"
    if isinstance(result, dict):
        return [result]
    if isinstance(result, list):
        return {"items": result}
    if result is None:
        return "0xzz"
    return str(result)


def other_hash(value: str) -> str:
    digits = value[2:]
    flipped = format(int(digits[0], 16) ^ 0x8, "x")
    return "0x" + flipped + digits[1:]


def wrong_answer(request: dict, result: object) -> object | None:
    """A well-formed answer to another question, or None where the method has none."""
    method = request.get("method") if isinstance(request, dict) else None
    params = request.get("params") or [] if isinstance(request, dict) else []
    if method == "eth_getBlockByNumber" and isinstance(result, dict) and params and str(params[0]).startswith("0x"):
        return dict(result, number=hex(int(result["number"], 16) + 1))
    if method == "eth_getBlockByHash" and isinstance(result, dict):
        return dict(result, hash=other_hash(result["hash"]))
    if method == "eth_getTransactionReceipt" and isinstance(result, dict):
        return dict(result, transactionHash=other_hash(result["transactionHash"]))
    if method == "eth_getTransactionByHash" and isinstance(result, dict):
        return dict(result, hash=other_hash(result["hash"]))
    if method == "eth_sendRawTransaction" and isinstance(result, str):
        return other_hash(result)
    if method == "eth_getLogs" and isinstance(result, list) and result and params and isinstance(params[0], dict):
        if params[0].get("blockHash"):
            return [dict(result[0], blockHash=other_hash(result[0]["blockHash"]))] + result[1:]
    return None


def methods_of(request: object) -> set[str]:
    items = request if isinstance(request, list) else [request]
    return {r["method"] for r in items if isinstance(r, dict) and isinstance(r.get("method"), str)}


def block_ref(value: object, head: int, missing: int) -> int | None:
    """A filter's block field as a number: tags of the head are the head; None if unreadable."""
    if value is None:
        return missing
    if value in HEAD_TAGS:
        return head
    if value == "earliest":
        return 0
    try:
        return int(value, 16) if isinstance(value, str) else None
    except ValueError:
        return None


class Lagging:
    """The answers of a backend `lag` blocks behind, for one request element (or None where the kind
    does not apply to it)."""

    def __init__(self, upstream: Upstream, schedule: FaultSchedule, lag: int):
        self.upstream, self.schedule, self.lag = upstream, schedule, lag
        self._head: int | None = None

    def call(self, method: str, params: list):
        status, body = self.upstream.post(json.dumps({"jsonrpc": "2.0", "id": 1, "method": method,
                                                      "params": params}).encode())
        return json.loads(body).get("result") if status == 200 else None

    def head(self) -> int | None:
        if self._head is None:
            answer = self.call("eth_blockNumber", [])
            self._head = int(answer, 16) if isinstance(answer, str) else None
        return self._head

    def newest(self, number: int | None) -> bool:
        head = self.head()
        return number is not None and head is not None and number > head - self.lag

    def answer(self, kind: str, request: dict) -> dict | None:
        if not isinstance(request, dict) or request.get("method") != LAGGING_METHOD[kind]:
            return None
        params = request.get("params") or []
        reply = {"jsonrpc": "2.0", "id": request.get("id")}
        if kind == "estimate_fail":
            message = self.schedule.pick(ESTIMATE_FAILURES[1:])
            return dict(reply, error={"code": -32603, "message": message})
        if kind == "stale_head":
            head = self.head()
            return None if head is None else dict(reply, result=hex(max(0, head - self.schedule.pick(
                range(1, self.lag + 1)))))
        if kind == "null_block":
            tag = params[0] if params else None
            number = block_ref(tag, -1, -1) if tag not in HEAD_TAGS else None
            return dict(reply, result=None) if self.newest(number) else None
        log_filter = params[0] if params and isinstance(params[0], dict) else None  # empty_logs
        if log_filter is None:
            return None
        if log_filter.get("blockHash"):
            found = self.call("eth_getBlockByHash", [log_filter["blockHash"], False])
            number = int(found["number"], 16) if isinstance(found, dict) else None
        else:
            head = self.head()
            head = head if head is not None else -1
            number = block_ref(log_filter.get("toBlock"), head, head)
        return dict(reply, result=[]) if self.newest(number) else None


class ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "rpc-fault-proxy"

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self):
        if self.path == "/stats":
            self._respond(200, json.dumps(self.server.schedule.stats()).encode())
        else:
            self._respond(404, b'{"error":"POST JSON-RPC, or GET /stats"}')

    def do_POST(self):
        if self.path == "/control":
            self._control()
            return
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self._respond(411, b'{"error":"Content-Length required"}')
            return
        if not 0 <= length <= MAX_BODY_BYTES:
            self._respond(413, b'{"error":"request body too large"}')
            self.close_connection = True
            return
        body = self.rfile.read(length)
        try:
            request = json.loads(body)
        except ValueError:
            request = None
        fault = self.server.schedule.next_fault(methods_of(request))
        if fault in LAGGING_KINDS:
            try:
                if self._lagging(fault, request):
                    return
            except (OSError, http.client.HTTPException, ValueError):
                pass  # the upstream did not tell its head: forward instead
            self.server.schedule.withdraw(fault)
            fault = None
        if fault in ("http429", "http500", "http503"):
            status = int(fault[4:])
            headers = {"Retry-After": "0"} if status == 429 else {}
            self._respond(status, b'{"error":"injected fault"}', headers)
            return
        if fault == "rpc_rate_limit":
            self._respond(200, rate_limit_answer(body))
            return
        try:
            status, answer = self.server.upstream.post(body)
        except (OSError, http.client.HTTPException):
            self._respond(502, b'{"error":"upstream unreachable"}')
            return
        if fault == "timeout":
            time.sleep(self.server.timeout_delay)
        elif fault == "drop":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        elif fault == "truncate":
            answer = answer[: len(answer) // 2]
        elif fault is not None:
            answer = self._corrupted(fault, body, answer)
        self._respond(status, answer)

    def _lagging(self, kind: str, request: object) -> bool:
        """Answers as a lagging backend would; False (nothing sent) where `kind` applies to no element."""
        lagging = Lagging(self.server.upstream, self.server.schedule, self.server.lag_blocks)
        if not isinstance(request, list):
            replaced = lagging.answer(kind, request)
            if replaced is None:
                return False
            if kind == "estimate_fail" and self.server.schedule.pick(ESTIMATE_FAILURES) == "http503":
                self._respond(503, b'{"error":"backend unavailable"}')
            else:
                self._respond(200, json.dumps(replaced).encode())
            return True
        replaced = {id(r): lagging.answer(kind, r) for r in request}
        if all(r is None for r in replaced.values()):
            return False
        status, answer = self.server.upstream.post(json.dumps(request).encode())
        answers = json.loads(answer) if status == 200 else None
        if not isinstance(answers, list):
            self._respond(status, answer)
            return True
        by_id = {r.get("id"): replaced[id(r)] for r in request if isinstance(r, dict) and replaced[id(r)]}
        answers = [by_id.get(a.get("id"), a) if isinstance(a, dict) else a for a in answers]
        self._respond(200, json.dumps(answers).encode())
        return True

    def _control(self) -> None:
        """POST /control {"fault_rate": x}: a new rate from the next request on."""
        try:
            length = int(self.headers.get("Content-Length", "0"))
            rate = float(json.loads(self.rfile.read(length))["fault_rate"])
            if not 0 <= rate <= 1:
                raise ValueError
        except (ValueError, KeyError, TypeError):
            self._respond(400, b'{"error":"expected {\\"fault_rate\\": a number within 0..1}"}')
            return
        self.server.schedule.set_rate(rate)
        self._respond(200, json.dumps(self.server.schedule.stats()).encode())

    def _corrupted(self, fault: str, body: bytes, answer: bytes) -> bytes:
        try:
            request, parsed = json.loads(body), json.loads(answer)
        except ValueError:
            return answer[: len(answer) // 2]
        return json.dumps(corrupt(fault, request, parsed, self.server.schedule)).encode()

    def _respond(self, status: int, body: bytes, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


def rate_limit_answer(body: bytes) -> bytes:
    error = {"code": -32005, "message": "rate limit exceeded"}
    try:
        request = json.loads(body)
    except ValueError:
        return json.dumps({"jsonrpc": "2.0", "id": None, "error": error}).encode()
    if isinstance(request, list):
        ids = [r.get("id") for r in request if isinstance(r, dict)]
        return json.dumps([{"jsonrpc": "2.0", "id": i, "error": error} for i in ids]).encode()
    request_id = request.get("id") if isinstance(request, dict) else None
    return json.dumps({"jsonrpc": "2.0", "id": request_id, "error": error}).encode()


class ProxyServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, host: str, port: int, upstream: Upstream, schedule: FaultSchedule, timeout_delay: float,
                 lag_blocks: int = 3):
        self.upstream = upstream
        self.schedule = schedule
        self.timeout_delay = timeout_delay
        self.lag_blocks = lag_blocks
        super().__init__((host, port), ProxyHandler)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="rpc_fault_proxy", description=__doc__.split("\n\n")[0])
    parser.add_argument("--upstream", required=True, help="the node's http:// URL")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (default)")
    parser.add_argument("--fault-rate", type=float, default=0.2, help="probability of a fault per request (0..1)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--faults", default=",".join(FAULT_KINDS),
                        help="comma-separated fault kinds (default: every kind but the lagging-backend ones)")
    parser.add_argument("--timeout-delay", type=float, default=5.0, help="seconds a 'timeout' fault stalls")
    parser.add_argument("--lag-blocks", type=int, default=3,
                        help="how many blocks the lagging backend is behind (default 3)")
    args = parser.parse_args(argv)
    args.faults = tuple(kind for kind in args.faults.split(",") if kind)
    unknown = [kind for kind in args.faults if kind not in KNOWN_KINDS]
    if unknown:
        parser.error(f"unknown fault kinds: {', '.join(unknown)} (known: {', '.join(KNOWN_KINDS)})")
    if args.lag_blocks < 1:
        parser.error("--lag-blocks must be at least 1")
    if not 0 <= args.fault_rate <= 1:
        parser.error("--fault-rate must be within 0..1")
    if not 0 <= args.port <= 65535:
        parser.error("--port must be within 0..65535")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        upstream = Upstream(args.upstream)
    except ValueError as error:
        print(f"rpc_fault_proxy: {error}", file=sys.stderr)
        return 2
    schedule = FaultSchedule(args.fault_rate, args.faults, args.seed)
    try:
        server = ProxyServer(args.host, args.port, upstream, schedule, args.timeout_delay, args.lag_blocks)
    except OSError as error:
        print(f"rpc_fault_proxy: cannot listen on {args.host}:{args.port}: {error.strerror}", file=sys.stderr)
        return 1
    label = f"http://{upstream.host}:{upstream.port}"
    print(f"rpc_fault_proxy: listening on http://{args.host}:{server.server_address[1]} upstream={label} "
          f"fault_rate={args.fault_rate} seed={args.seed}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
