"""The local dev network: a devchain, the contracts, an attestation committee and `cloister` nodes.

`scripts/demo.py` (`make demo`), `scripts/adversarial.py` (`make adversarial`), `scripts/chaos.py` (`make chaos`),
`scripts/latency.py` (`make latency`) and the end-to-end tests (`tests/node/`, `tests/adversarial/`, `tests/duties/`, `tests/chaos/`) are built from
these modules, one purpose each:

| module | purpose |
| --- | --- |
| `processes` | child processes with a log file, a ready line, and a stop that never leaves orphans |
| `binary` | the `cloister` binary: model ids, the simulated TEE's workload id, keystores |
| `accounts` | which dev account plays which role; operator keystores and password files |
| `chain` | the local chain (`python -m devchain`) and its dev methods (time travel, mining, interval mining, into the next draw epoch) |
| `deployment` | the contracts and the example consumer |
| `committee` | the attestation committee service (`cloister committee serve`) |
| `nodes` | node configuration, registration, start, readiness, stop and crash |
| `network` | all of the above in order, as one context manager |
| `userenv` | `STATE/env.sh` (RPC, deployment, a requester wallet, the simulated TEE's anchor): what the docs' commands source |
| `traffic` | realistic requests, through the consumer and directly |
| `observer` | follows `Requested`, `Fulfilled` and `Answered` and measures latency |
| `settlement` | time travel past the windows, waiting for the nodes' own settlement (or `settleBatch` without nodes), credits |
| `summary` | the demo's summary lines |
| `bursts` | the latency benchmark: bursts of requests sent together at a block time, measured in blocks and milliseconds from the chain, and issue 19's goals |
| `adversary` | the adversarial cast (honest nodes, the `cloister-adversary` cheater, an offline node, the colluder that never votes) and fast parameters |
| `adversary_attacks` | the attackers' moves: timeout farming, the relayer's requests, stake top-ups to steer a draw; their money |
| `mempool` | a JSON-RPC proxy showing a node's transactions to a relayer before the chain sees them, and that relayer |
| `adversary_traffic` | the scenario's requests, and the offline node's timed-out request refunded and re-sent |
| `adversary_events` | every event of the core and the arbiter, read back for judging |
| `adversary_waits` | waiting until every result is verified, disputed, resolved, corrected and settled |
| `adversary_checks` | one named check per property of the scenario, and its summary line |
| `adversary_ledger` | the conservation check: the core's balance against fees, stakes, bonds and withdrawals |
| `adversary_run` | the scenario from start to summary, for `scripts/adversarial.py` and its test |
| `chaos_faults` | the chaos campaign's faults: a lagging-backend proxy per node, the seeded schedule, reorgs, kill -9 and restart |
| `chaos_checks` | the chaos campaign judged from the final chain (fulfilled once, settled, lost, nonce gaps, slashes, ledger) and its line |
| `chaos_run` | the chaos campaign from start to verdict, for `scripts/chaos.py` and its test |
| `failover_run` | the failover campaign: one node as two processes on a PostgreSQL store, the leader killed under traffic, judged from the chain and the store, for `scripts/failover.py` and its test |
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
