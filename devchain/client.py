"""A minimal JSON-RPC client over one keep-alive HTTP connection, for tests and the benchmark."""

import http.client
import itertools
import json
import socket
from urllib.parse import urlparse


class RPCErrorResponse(Exception):
    """The server answered with a JSON-RPC error object."""

    def __init__(self, code: int, message: str, data=None):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.data = data


class RPCClient:
    def __init__(self, url: str, timeout: float = 30.0):
        parsed = urlparse(url)
        self._host, self._port = parsed.hostname, parsed.port
        self._timeout = timeout
        self._ids = itertools.count(1)
        self._connection = None

    def call(self, method: str, *params):
        """The result, or RPCErrorResponse."""
        response = self.post({"jsonrpc": "2.0", "id": next(self._ids), "method": method, "params": list(params)})
        if "error" in response:
            error = response["error"]
            raise RPCErrorResponse(error["code"], error["message"], error.get("data"))
        return response["result"]

    def batch(self, calls: list[tuple]) -> list[dict]:
        """Raw response objects for [(method, params), ...], in request order."""
        requests = [{"jsonrpc": "2.0", "id": next(self._ids), "method": m, "params": list(p)} for m, p in calls]
        responses = {r["id"]: r for r in self.post(requests)}
        return [responses[r["id"]] for r in requests]

    def post(self, payload):
        return json.loads(self.post_bytes(json.dumps(payload).encode()))

    def post_bytes(self, body: bytes) -> bytes:
        connection = self._connect()
        try:
            connection.request("POST", "/", body, {"Content-Type": "application/json"})
            return connection.getresponse().read()
        except (http.client.HTTPException, OSError):
            self.close()
            raise

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _connect(self) -> http.client.HTTPConnection:
        if self._connection is None:
            self._connection = http.client.HTTPConnection(self._host, self._port, timeout=self._timeout)
            self._connection.connect()
            self._connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return self._connection
