"""Starts a devchain server as a subprocess on a free port, for tests in any area.

    from devchain.testing import Wallet, running_devchain
    with running_devchain() as node:
        wallet = Wallet(node.client, node.accounts[0].private_key, node.chain_id)
        receipt = wallet.transact(to=some_address, value=1)

Transactions are signed with eth-account, a library independent of the server.
"""

import os
import re
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from eth_abi import encode
from eth_account import Account
from eth_utils import keccak, to_checksum_address

from .accounts import DEFAULT_ACCOUNT_COUNT, DevAccount, dev_accounts
from .client import RPCClient

REPO_ROOT = Path(__file__).resolve().parent.parent
READY_LINE = re.compile(r"devchain: listening on (http://\S+) chain_id=(\d+)")
WEBSOCKET_LINE = re.compile(r"devchain: websocket on (ws://\S+)")


@dataclass
class RunningDevchain:
    url: str
    chain_id: int
    process: subprocess.Popen
    startup_seconds: float
    accounts: list[DevAccount]
    ws_url: str | None = None  # with extra_args ("--ws-port", "0")

    @cached_property
    def client(self) -> RPCClient:
        """One keep-alive client for this server (not for use from several threads at once)."""
        return RPCClient(self.url)


class DevchainStartError(RuntimeError):
    pass


@contextmanager
def running_devchain(chain_id: int = 31337, accounts: int = DEFAULT_ACCOUNT_COUNT,
                     extra_args: tuple[str, ...] = (), timeout: float = 60.0):
    """Yields a RunningDevchain; the server is stopped (SIGTERM, then SIGKILL) on exit."""
    command = [sys.executable, "-m", "devchain", "--port", "0", "--chain-id", str(chain_id),
               "--accounts", str(accounts), *extra_args]
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])))
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=environment, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    stderr_lines: list[str] = []
    threading.Thread(target=_drain, args=(process.stderr, stderr_lines), daemon=True).start()
    try:
        url, ws_url = _wait_for_ready(process, timeout, stderr_lines)
        node = RunningDevchain(url, chain_id, process, time.monotonic() - started, dev_accounts(accounts), ws_url)
        threading.Thread(target=_drain, args=(process.stdout, None), daemon=True).start()
        yield node
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for_ready(process: subprocess.Popen, timeout: float, stderr_lines: list[str]) -> tuple[str, str | None]:
    """The HTTP URL and, if the server printed one, the WebSocket URL."""
    deadline = time.monotonic() + timeout
    result: dict = {}

    def read():
        for line in process.stdout:
            websocket = WEBSOCKET_LINE.search(line)
            if websocket:
                result["ws_url"] = websocket.group(1)
            match = READY_LINE.search(line)
            if match:
                result["url"] = match.group(1)
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(max(0.0, deadline - time.monotonic()))
    if "url" not in result:
        try:
            process.wait(timeout=2)  # let stderr finish, so the message has the cause
        except subprocess.TimeoutExpired:
            pass
        raise DevchainStartError(f"devchain did not become ready: {''.join(stderr_lines)[-2000:]}")
    return result["url"], result.get("ws_url")


def _drain(stream, sink: list[str] | None) -> None:
    """Reads a pipe to its end so the server never blocks on a full pipe; keeps the lines if asked."""
    for line in stream:
        if sink is not None:
            sink.append(line)


def selector(signature: str) -> bytes:
    return keccak(text=signature)[:4]


def calldata(signature: str, types: list[str], values: list) -> str:
    return "0x" + (selector(signature) + encode(types, values)).hex()


class Wallet:
    """Signs with eth-account (independent of the server) and sends raw transactions."""

    def __init__(self, client: RPCClient, private_key: bytes, chain_id: int):
        self.client = client
        self.account = Account.from_key(private_key)
        self.address = self.account.address
        self.chain_id = chain_id

    def sign(self, to=None, data="0x", value=0, gas=None, legacy=False, nonce=None, chain_id="default",
             max_fee=None, tip=10**9):
        tx = {"value": value, "data": data, "nonce": nonce if nonce is not None else self.nonce("pending")}
        if to is not None:
            tx["to"] = to_checksum_address(to)
        if chain_id == "default":
            chain_id = self.chain_id
        if chain_id is not None:
            tx["chainId"] = chain_id
        if gas is None:
            estimate = {"from": self.address, "data": data, "value": hex(value)}
            if to is not None:
                estimate["to"] = to
            gas = int(self.client.call("eth_estimateGas", estimate), 16)
        tx["gas"] = gas
        base_fee = int(self.client.call("eth_getBlockByNumber", "latest", False)["baseFeePerGas"], 16)
        if legacy:
            tx["gasPrice"] = max_fee if max_fee is not None else 2 * base_fee + tip
        else:
            tx["maxFeePerGas"] = max_fee if max_fee is not None else 2 * base_fee + tip
            tx["maxPriorityFeePerGas"] = tip
            tx["type"] = 2
        return "0x" + bytes(self.account.sign_transaction(tx).raw_transaction).hex()

    def send(self, **kwargs) -> str:
        return self.client.call("eth_sendRawTransaction", self.sign(**kwargs))

    def transact(self, **kwargs) -> dict:
        return self.client.call("eth_getTransactionReceipt", self.send(**kwargs))

    def nonce(self, tag="latest") -> int:
        return int(self.client.call("eth_getTransactionCount", self.address, tag), 16)
