"""Child processes of the dev network: output to a log file, an optional ready line, a stop that waits.

Every child is started by `Child.start` and stopped by `Child.stop` (SIGTERM, then SIGKILL after a
grace period); its owner (the committee, a node) is a context manager, so that the network's
`ExitStack` stops children in reverse order of start, also on Ctrl-C and on errors.
"""
from __future__ import annotations

import re
import signal
import subprocess
import threading
import time
from collections import deque
from pathlib import Path

from . import DevnetError


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def unwind_on_signals() -> None:
    """SIGINT (also when started in the background, where it is ignored), SIGTERM and SIGHUP unwind like
    Ctrl-C, so that a script's context managers stop every child process."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGHUP, _interrupt)


class Child:
    """One long-running child process whose stdout and stderr are appended to `log_path`."""

    def __init__(self, name: str, argv: list[str], log_path: Path, ready: str | None = None, cwd: Path | None = None):
        self.name = name
        self.argv = [str(a) for a in argv]
        self.log_path = log_path
        self.ready = re.compile(ready) if ready else None
        self.cwd = cwd
        self.process: subprocess.Popen | None = None
        self._match: re.Match | None = None
        self._ready_event = threading.Event()

    def start(self, timeout: float = 60.0) -> re.Match | None:
        """Starts the process; with a ready pattern, waits for a stdout line matching it and returns the match."""
        self._match = None
        self._ready_event.clear()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(self.argv, cwd=self.cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                            stderr=log)
        threading.Thread(target=self._copy_stdout, args=(self.process,), daemon=True).start()
        if self.ready is None:
            return None
        deadline = time.monotonic() + timeout
        while not self._ready_event.wait(0.1):
            if self.process.poll() is not None:
                raise DevnetError(f"{self.name} exited with status {self.process.returncode} before it was ready; "
                                  f"last log lines:\n{self.last_lines()}")
            if time.monotonic() > deadline:
                self.stop()
                raise DevnetError(f"{self.name} printed no ready line within {timeout:.0f} s; "
                                  f"last log lines:\n{self.last_lines()}")
        return self._match

    def _copy_stdout(self, process: subprocess.Popen) -> None:
        with open(self.log_path, "ab") as log:
            for raw in process.stdout:
                log.write(raw)
                log.flush()
                if self.ready is not None and not self._ready_event.is_set():
                    match = self.ready.search(raw.decode(errors="replace"))
                    if match:
                        self._match = match
                        self._ready_event.set()

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, grace: float = 10.0) -> int | None:
        """SIGTERM, then SIGKILL if the process is still running after `grace` seconds; returns its status."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def kill(self) -> None:
        """SIGKILL: the crash the node must survive."""
        if self.alive():
            self.process.kill()
        if self.process is not None:
            self.process.wait()

    def last_lines(self, count: int = 20) -> str:
        try:
            with open(self.log_path, errors="replace") as log:
                return "".join(deque(log, maxlen=count)).rstrip()
        except FileNotFoundError:
            return "(no log)"
