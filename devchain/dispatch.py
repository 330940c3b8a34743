"""JSON-RPC 2.0 envelopes: single and batch requests, method lookup, argument binding, error mapping."""

import inspect
import json
import logging
import re
import threading

from .api_chain import ChainMethods
from .api_dev import DevMethods
from .api_transactions import TransactionMethods
from .errors import INTERNAL_ERROR, INVALID_REQUEST, METHOD_NOT_FOUND, PARSE_ERROR, RPCError, invalid_params
from .interval import IntervalMiner

METHOD_PREFIXES = ("eth_", "net_", "web3_", "evm_", "anvil_", "txpool_", "devchain_")
MAX_BATCH = 1000
# py-evm raises Python's recursion limit to 100,000 for deep EVM calls, so the C JSON decoder no longer
# stops at a safe depth: deeply nested input would overflow the C stack. Real requests nest a few levels.
MAX_JSON_DEPTH = 256
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_JSON_BRACKET = re.compile(rb"[\[\]{}]")
log = logging.getLogger("devchain")


def _method_table(*groups) -> dict:
    table = {}
    for group in groups:
        for name, member in inspect.getmembers(group, inspect.ismethod):
            if name.startswith(METHOD_PREFIXES):
                table[name] = member
    return table


class Dispatcher:
    """Turns request bytes into response bytes; one lock makes every call atomic on the chain."""

    def __init__(self, chain):
        self.chain = chain
        self.lock = threading.Lock()
        self.interval_miner = IntervalMiner(chain, self.lock)
        self.methods = _method_table(ChainMethods(chain), TransactionMethods(chain),
                                     DevMethods(chain, self.interval_miner))

    def handle_bytes(self, body: bytes) -> bytes | None:
        """The response body, or None when every request was a notification."""
        if _nesting_exceeds(body, MAX_JSON_DEPTH):
            return _encode(_error_response(None, RPCError(PARSE_ERROR, f"parse error: nested deeper than {MAX_JSON_DEPTH}")))
        try:
            message = json.loads(body)
        except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
            return _encode(_error_response(None, RPCError(PARSE_ERROR, f"parse error: {error}")))
        if isinstance(message, list):
            if not message:
                return _encode(_error_response(None, RPCError(INVALID_REQUEST, "empty batch")))
            if len(message) > MAX_BATCH:
                return _encode(_error_response(None, RPCError(INVALID_REQUEST, f"batch larger than {MAX_BATCH}")))
            responses = [r for r in (self.handle_request(item) for item in message) if r is not None]
            return _encode(responses) if responses else None
        response = self.handle_request(message)
        return _encode(response) if response is not None else None

    def handle_request(self, request) -> dict | None:
        if not isinstance(request, dict):
            return _error_response(None, RPCError(INVALID_REQUEST, "invalid request: expected an object"))
        request_id = request.get("id")
        is_notification = "id" not in request
        try:
            result = self._call(request)
        except RPCError as error:
            return None if is_notification else _error_response(request_id, error)
        except Exception as error:  # a bug must cost one request, never the server
            log.exception("internal error in %s", request.get("method"))
            failure = RPCError(INTERNAL_ERROR, f"internal error: {type(error).__name__}")
            return None if is_notification else _error_response(request_id, failure)
        return None if is_notification else {"jsonrpc": "2.0", "id": request_id, "result": result}

    def _call(self, request: dict):
        method = request.get("method")
        if request.get("jsonrpc") != "2.0" or not isinstance(method, str):
            raise RPCError(INVALID_REQUEST, "invalid request: expected jsonrpc 2.0 and a method name")
        if not isinstance(request.get("id"), (str, int, float, type(None))) or isinstance(request.get("id"), bool):
            raise RPCError(INVALID_REQUEST, "invalid request: id must be a string, a number or null")
        handler = self.methods.get(method)
        if handler is None:
            raise RPCError(METHOD_NOT_FOUND, f"the method {method} does not exist/is not available")
        params = request.get("params", [])
        if params is None:
            params = []
        if not isinstance(params, list):
            raise invalid_params("params must be an array")
        try:
            inspect.signature(handler).bind(*params)
        except TypeError:
            raise invalid_params(f"wrong number of arguments for {method}: {len(params)}") from None
        with self.lock:
            return handler(*params)


def _nesting_exceeds(body: bytes, limit: int) -> bool:
    """True if brackets outside strings nest deeper than `limit` (checked only when there are enough)."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    depth = 0
    for bracket in _JSON_BRACKET.finditer(_JSON_STRING.sub(b'""', body)):
        depth += 1 if bracket.group() in (b"[", b"{") else -1
        if depth > limit:
            return True
    return False


def _error_response(request_id, error: RPCError) -> dict:
    return {"jsonrpc": "2.0", "id": request_id, "error": error.to_json()}


def _encode(response) -> bytes:
    return json.dumps(response, separators=(",", ":")).encode()
