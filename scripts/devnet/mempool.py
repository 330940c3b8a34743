"""A public mempool in front of one node, and the relayer that watches it.

`Mempool` is a JSON-RPC proxy the node uses as its chain endpoint: every call is forwarded untouched,
but each raw transaction the node sends is first shown to an onlooker, which may act before the
transaction travels on, as a searcher watching a public mempool (and paying for a better place in the
block) would. On the devchain, whose blocks take transactions in arrival order, "acting first" is simply
sending first.

`Relayer` is that onlooker in the adversarial scenario: for the results of requests it targets it
1. copies the node's signed result and re-sends it with the status changed, with the output changed,
   and with the output and the commitment changed (each must revert: the signature binds them);
2. front-runs one item of a `fulfilBatch` with that item's own signed result, unchanged (legal: anyone
   may relay a result), so that the node's batch meets an already fulfilled item (it must still land
   for the others).
"""
from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import eth_abi
from cloister_chain import RpcError, Signer, TransactionFailed, abi_type
from eth_account.typed_transactions import TypedTransaction
from eth_utils import keccak
from hexbytes import HexBytes

from .deployment import Deployment

HOLD = 2.0  # seconds the first targeted transaction is held: the node signs its other targeted results meanwhile
TAMPER_GAS = 600_000  # the tampered copies cannot be estimated (they revert); sent with this limit to be mined


class Mempool:
    """`with Mempool(upstream, onlooker) as pool:` a proxy at `pool.url`; `onlooker(raw)` sees every raw
    transaction sent through it before it is forwarded (an exception there is kept in `errors`)."""

    def __init__(self, upstream: str, onlooker):
        self.upstream, self.onlooker = upstream, onlooker
        self.errors: list[str] = []
        pool = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                pool.inspect(body)
                request = urllib.request.Request(pool.upstream, body, {"Content-Type": "application/json"})
                try:
                    with urllib.request.urlopen(request, timeout=60) as response:
                        status, answer = response.status, response.read()
                except urllib.error.HTTPError as error:
                    status, answer = error.code, error.read()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, name="mempool", daemon=True)

    def inspect(self, body: bytes) -> None:
        try:
            calls = json.loads(body)
        except ValueError:
            return
        for call in calls if isinstance(calls, list) else [calls]:
            if isinstance(call, dict) and call.get("method") == "eth_sendRawTransaction" and call.get("params"):
                try:
                    self.onlooker(bytes.fromhex(call["params"][0][2:]))
                except Exception as error:  # the node's transaction travels on regardless
                    self.errors.append(f"{type(error).__name__}: {error}")

    def __enter__(self) -> Mempool:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class Attempt:
    """One copy the relayer sent: what it changed, what `eth_call` said, and the mined receipt's status."""

    request_id: bytes
    change: str
    call_error: str | None
    status: int | None
    tx: str | None = None


@dataclass
class RelayerLog:
    tampered: list[Attempt] = field(default_factory=list)
    front_run: Attempt | None = None
    batch_tx: str | None = None  # the node's batch whose item was front-run
    batch_ids: list[bytes] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)  # every targeted transaction of the node (hashes)


class Relayer:
    """Watches the mempool for results of sealed requests (recipients set) from `requester` and attacks them."""

    def __init__(self, signer: Signer, deployment: Deployment):
        self.signer, self.deployment = signer, deployment
        self.core = deployment.core
        self.requester: str | None = None  # set when the attack starts; until then the relayer only watches
        self.log = RelayerLog()
        self.lock = threading.Lock()
        functions = {f["name"]: f for f in self.core.abi if f.get("type") == "function"}
        self.inputs = {name: [abi_type(i) for i in functions[name]["inputs"]] for name in ("fulfil", "fulfilBatch")}
        self.selectors = {keccak(text=f"{name}({','.join(types)})")[:4]: name for name, types in self.inputs.items()}

    def __call__(self, raw: bytes) -> None:
        if self.requester is None:
            return
        fields = TypedTransaction.from_bytes(HexBytes(raw)).as_dict() if raw[0] < 0x80 else None
        if fields is None or (fields.get("to") or b"").hex().lower() != self.core.address[2:].lower():
            return
        data = bytes(fields["data"])
        name = self.selectors.get(data[:4])
        if name is None:
            return
        requests, results = eth_abi.decode(self.inputs[name], data[4:])
        if name == "fulfil":
            requests, results = [requests], [results]
        items = [(r, s) for r, s in zip(requests, results)
                 if r[1].lower() == self.requester.lower() and r[9] != bytes(32)]
        if not items:
            return
        with self.lock:
            first = not self.log.seen
            self.log.seen.append("0x" + keccak(raw).hex())
            if first:
                time.sleep(HOLD)  # the node signs its other targeted results and will batch them
                self.tamper(*items[0])
            if name == "fulfilBatch" and len(items) >= 2 and self.log.front_run is None:
                self.log.batch_tx, self.log.batch_ids = "0x" + keccak(raw).hex(), [r[0] for r, _ in items]
                request, result = items[-1]
                self.log.front_run = self.send(request, tuple(result), "none: the node's own signed result, relayed first")

    def tamper(self, request: tuple, result: tuple) -> None:
        status, output, commitment = result[0], bytes(result[1]), result[2]
        changed_output = output[:-1] + bytes([output[-1] ^ 1]) if output else b"\x01"
        copies = [
            ("status", (0 if status else 1, output, *result[2:])),
            ("output", (status, changed_output, *result[2:])),
            ("output and commitment", (status, changed_output, keccak(request[0] + bytes([status]) + changed_output),
                                       *result[3:])),
        ]
        assert copies[2][1][2] != commitment
        for change, forged in copies:
            self.log.tampered.append(self.send(request, forged, change, gas=TAMPER_GAS))

    def send(self, request: tuple, result: tuple, change: str, gas: int | None = None) -> Attempt:
        """`fulfil(request, result)` from the relayer: first as a call (its error, if any), then mined."""
        data = self.core.calldata("fulfil", request, result)
        call_error = None
        try:
            self.signer.rpc.call("eth_call", {"from": self.signer.address, "to": self.core.address, "data": data},
                                 "latest")
        except RpcError as error:
            call_error = str(error)
        attempt = Attempt(request[0], change, call_error, None)
        try:
            receipt = self.signer.send_raw(self.signer.sign(self.core.address, data, gas=gas or TAMPER_GAS))
        except TransactionFailed as failed:
            receipt = failed.receipt
        attempt.status, attempt.tx = int(receipt["status"], 16), receipt["transactionHash"]
        return attempt
