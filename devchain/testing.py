"""Starts a devchain server as a subprocess on a free port, for tests in any area.

    from devchain.testing import running_devchain
    with running_devchain() as node:
        node.client.call("eth_blockNumber")
"""

import os
import re
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .accounts import DevAccount, dev_accounts
from .client import RPCClient

REPO_ROOT = Path(__file__).resolve().parent.parent
READY_LINE = re.compile(r"devchain: listening on (http://\S+) chain_id=(\d+)")


@dataclass
class RunningDevchain:
    url: str
    chain_id: int
    process: subprocess.Popen
    startup_seconds: float
    accounts: list[DevAccount] = field(default_factory=dev_accounts)

    @cached_property
    def client(self) -> RPCClient:
        """One keep-alive client for this server (not for use from several threads at once)."""
        return RPCClient(self.url)


class DevchainStartError(RuntimeError):
    pass


@contextmanager
def running_devchain(chain_id: int = 31337, extra_args: tuple[str, ...] = (), timeout: float = 60.0):
    """Yields a RunningDevchain; the server is stopped (SIGTERM, then SIGKILL) on exit."""
    command = [sys.executable, "-m", "devchain", "--port", "0", "--chain-id", str(chain_id), *extra_args]
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])))
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=environment, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    stderr_lines: list[str] = []
    threading.Thread(target=_drain, args=(process.stderr, stderr_lines), daemon=True).start()
    try:
        url = _wait_for_ready(process, timeout, stderr_lines)
        node = RunningDevchain(url, chain_id, process, time.monotonic() - started)
        threading.Thread(target=_drain, args=(process.stdout, []), daemon=True).start()
        yield node
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for_ready(process: subprocess.Popen, timeout: float, stderr_lines: list[str]) -> str:
    deadline = time.monotonic() + timeout
    result: dict = {}

    def read():
        for line in process.stdout:
            match = READY_LINE.search(line)
            if match:
                result["url"] = match.group(1)
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(max(0.0, deadline - time.monotonic()))
    if "url" not in result:
        raise DevchainStartError(f"devchain did not become ready: {''.join(stderr_lines)[-2000:]}")
    return result["url"]


def _drain(stream, sink: list[str]) -> None:
    for line in stream:
        sink.append(line)
