"""The HTTP front: a threading server, keep-alive, Nagle off, JSON-RPC over POST."""

import socket
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .dispatch import Dispatcher

MAX_BODY_BYTES = 32 * 1024 * 1024


class RPCRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so clients reuse one connection
    server_version = "cloister-devchain"

    def setup(self):
        super().setup()
        # Without this, a response's small second segment waits ~40 ms for the client's delayed ACK.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_POST(self):
        body = self._read_body()
        if body is None:
            return
        response = self.server.dispatcher.handle_bytes(body)
        self._respond(200, response or b"")

    def _read_body(self) -> bytes | None:
        """The request body (Content-Length or chunked), or None after answering an HTTP error."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self._respond(411, b'{"error":"Content-Length required"}')
            return None
        if not 0 <= length <= MAX_BODY_BYTES:
            return self._too_large()
        return self.rfile.read(length)

    def _read_chunked(self) -> bytes | None:
        chunks, total = [], 0
        while True:
            try:
                size = int(self.rfile.readline(64).split(b";")[0].strip(), 16)
            except ValueError:
                self._respond(400, b'{"error":"malformed chunk"}')
                self.close_connection = True
                return None
            total += size
            if size < 0 or total > MAX_BODY_BYTES:
                return self._too_large()
            if size == 0:
                while self.rfile.readline(1024).strip():
                    pass  # trailers end with an empty line
                return b"".join(chunks)
            chunks.append(self.rfile.read(size))
            self.rfile.readline(8)  # the CRLF after each chunk

    def _too_large(self) -> None:
        self._respond(413, b'{"error":"request body too large"}')
        self.close_connection = True
        return None

    def do_GET(self):
        self._respond(405, b'{"error":"use POST with a JSON-RPC body"}')

    def _respond(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass  # one line per request would swamp the test output


class RPCServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, host: str, port: int, chain):
        self.dispatcher = Dispatcher(chain)
        super().__init__((host, port), RPCRequestHandler)

    @property
    def port(self) -> int:
        return self.server_address[1]
