"""What a campaign script (`scripts/chaos.py`, `scripts/failover.py`) does around its run: a state folder
kept when asked or when something failed, the run's errors on stderr, then notes, FAILED lines and exactly
one summary line last, and the exit status (1 if any check failed, 130 if stopped)."""
from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from . import DevnetError
from .processes import unwind_on_signals


def run_campaign(name: str, state_dir: Path | None, keep_state: bool, run: Callable[[Path, Callable[[str], None]], object]) -> int:
    """Runs `run(state_dir, say)`, whose result has `notes`, `failures` and `line()`; returns the exit status."""
    def say(line: str) -> None:
        print(f"{name}: {line}", flush=True)

    keep = keep_state or state_dir is not None
    state_dir = (state_dir or Path(tempfile.mkdtemp(prefix=f"cloister-{name}-"))).resolve()
    unwind_on_signals()
    started = time.monotonic()
    say(f"state folder {state_dir}")
    try:
        verdict = run(state_dir, say)
    except DevnetError as error:
        print(f"{name}: {error}", file=sys.stderr)
        print(f"{name}: state kept in {state_dir}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{name}: stopped", file=sys.stderr)
        return 130
    for note in verdict.notes:
        say(note)
    say(f"wall time {time.monotonic() - started:.1f} s")
    for failure in verdict.failures:
        print(f"{name}: FAILED: {failure}", flush=True)
    if verdict.failures or keep:
        say(f"state kept in {state_dir}")
    else:
        shutil.rmtree(state_dir, ignore_errors=True)
    print(verdict.line(), flush=True)
    return 1 if verdict.failures else 0
