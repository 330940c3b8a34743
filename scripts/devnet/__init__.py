"""The local dev network: a devchain, the contracts, an attestation committee and `cloister` nodes.

`scripts/demo.py` (`make demo`) and the node's end-to-end tests (`tests/node/`) are built from these
modules, one purpose each:

| module | purpose |
| --- | --- |
| `processes` | child processes with a log file, a ready line, and a stop that never leaves orphans |
| `binary` | the `cloister` binary: model ids, the simulated TEE's workload id, keystores |
| `accounts` | which dev account plays which role; operator keystores and password files |
| `chain` | the local chain (`python -m devchain`) and its dev methods (time travel, mining) |
| `deployment` | the contracts and the example consumer |
| `committee` | the attestation committee service (`cloister committee serve`) |
| `nodes` | node configuration, registration, start, readiness, stop and crash |
| `network` | all of the above in order, as one context manager |
| `traffic` | realistic requests, through the consumer and directly |
| `observer` | follows `Requested`, `Fulfilled` and `Answered` and measures latency |
| `settlement` | time travel past the windows, `settleBatch`, withdrawals |
| `summary` | the demo's summary lines |
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
for _path in (ROOT, ROOT / "scripts"):  # devchain/ and the scripts' modules (cloister_chain, deploy, …)
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))


class DevnetError(RuntimeError):
    """A step of the dev network failed; the message names the step and the cause."""
