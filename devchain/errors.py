"""JSON-RPC errors the server returns, with geth's codes."""

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
SERVER_ERROR = -32000  # geth's code for rejected transactions and failed executions
EXECUTION_REVERTED = 3  # geth's code for a revert, with the revert data in `data`


class RPCError(Exception):
    """An error answered to the caller as a JSON-RPC error object."""

    def __init__(self, code: int, message: str, data: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data

    def to_json(self) -> dict:
        error = {"code": self.code, "message": self.message}
        if self.data is not None:
            error["data"] = self.data
        return error


def invalid_params(message: str) -> RPCError:
    return RPCError(INVALID_PARAMS, message)


def rejected(message: str) -> RPCError:
    """A transaction or request the chain refuses (geth answers these with -32000)."""
    return RPCError(SERVER_ERROR, message)
