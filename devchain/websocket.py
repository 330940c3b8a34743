"""The WebSocket front (`--ws-port`): JSON-RPC over a socket, plus eth_subscribe("newHeads") and eth_unsubscribe.

Every sealed block (automine, interval mining, evm_mine, the new branch of a reorg) is pushed to each
newHeads subscription as an `eth_subscription` notification carrying the block's header (the fields of
eth_getBlockByNumber without transactions), in the order the blocks were sealed. A revert to a snapshot
seals nothing and so pushes nothing, as a real node pushes nothing for a shorter chain. Other requests
go to the same dispatcher as the HTTP front. Only "newHeads" is offered; "logs" and the rest are refused
with -32602, which a client can tell from a transport failure.

Each connection has a reader thread (the server's) and a sender thread draining one queue, so replies and
notifications leave in the order they were queued: a subscription's id always before its first header.
Sealing runs under the dispatcher's lock and only puts notifications on queues; it never waits on a client.
"""

import json
import logging
import os
import queue
import threading

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import serve

from .errors import INVALID_PARAMS, RPCError
from .serialize import header_json

log = logging.getLogger("devchain")


class WebSocketServer:
    """Serves JSON-RPC and newHeads subscriptions for `dispatcher`'s chain on (host, port); port 0 picks one."""

    def __init__(self, host: str, port: int, dispatcher):
        self.dispatcher = dispatcher
        self.chain = dispatcher.chain
        # No permessage-deflate: notifications are small and a client need not implement it.
        self._server = serve(self._serve_connection, host, port, compression=None)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._server.socket.getsockname()[1]

    def start(self) -> None:
        self._thread = threading.Thread(target=self._server.serve_forever, name="websocket server", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _serve_connection(self, connection) -> None:
        outbox: queue.Queue = queue.Queue()
        subscriptions: dict[str, object] = {}
        sender = threading.Thread(target=_send_all, args=(connection, outbox), name="websocket sender", daemon=True)
        sender.start()
        try:
            for message in connection:
                self._handle(message, outbox, subscriptions)
        except ConnectionClosed:
            pass
        finally:
            with self.dispatcher.lock:
                for listener in subscriptions.values():
                    self.chain.head_listeners.remove(listener)
            outbox.put(None)
            sender.join(timeout=5)

    def _handle(self, message, outbox: queue.Queue, subscriptions: dict) -> None:
        body = message.encode() if isinstance(message, str) else message
        try:
            request = json.loads(body)
        except ValueError:
            request = None
        if isinstance(request, dict) and request.get("method") in ("eth_subscribe", "eth_unsubscribe"):
            self._subscription_call(request, outbox, subscriptions)
            return
        response = self.dispatcher.handle_bytes(body)
        if response is not None:
            outbox.put(response.decode())

    def _subscription_call(self, request: dict, outbox: queue.Queue, subscriptions: dict) -> None:
        request_id, params = request.get("id"), request.get("params") or []
        try:
            if not isinstance(params, list) or not params:
                raise RPCError(INVALID_PARAMS, "invalid params: expected [subscription type] or [subscription id]")
            with self.dispatcher.lock:  # the reply is queued before any header sealed after it
                if request["method"] == "eth_subscribe":
                    if params[0] != "newHeads":
                        raise RPCError(INVALID_PARAMS, f"unsupported subscription type {params[0]!r}: only newHeads")
                    result = "0x" + os.urandom(16).hex()
                    listener = _listener(result, outbox)
                    subscriptions[result] = listener
                    self.chain.head_listeners.append(listener)
                else:
                    listener = subscriptions.pop(params[0], None) if isinstance(params[0], str) else None
                    if listener is not None:
                        self.chain.head_listeners.remove(listener)
                    result = listener is not None
                outbox.put(json.dumps({"jsonrpc": "2.0", "id": request_id, "result": result}, separators=(",", ":")))
        except RPCError as error:
            outbox.put(json.dumps({"jsonrpc": "2.0", "id": request_id, "error": error.to_json()}, separators=(",", ":")))


def _listener(subscription: str, outbox: queue.Queue):
    def on_head(header) -> None:
        outbox.put(json.dumps({"jsonrpc": "2.0", "method": "eth_subscription",
                               "params": {"subscription": subscription, "result": header_json(header)}},
                              separators=(",", ":")))
    return on_head


def _send_all(connection, outbox: queue.Queue) -> None:
    while (text := outbox.get()) is not None:
        try:
            connection.send(text)
        except ConnectionClosed:
            return
