"""Failover between two node processes sharing a PostgreSQL job store (`make failover`): the leader is
killed with SIGKILL again and again under traffic; the standby must take over within 10 s, and every
request must be fulfilled exactly once with no nonce used twice.

    .venv/bin/python scripts/failover.py [--kills 10] [--pauses 2] [--interval 0.5] [--state-dir DIR] [--keep-state]

Prints progress, then what failed (if anything), then exactly one line:
    failover: K leader kills, takeover p50 A s max B s, R requests, R fulfilled exactly once, 0 nonce reused
and exits 1 if any check failed. docs/operations.md ("Failover on a shared PostgreSQL store") explains it.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from devnet.campaign import run_campaign  # noqa: E402
from devnet.failover_run import Options, run_failover  # noqa: E402


def main(argv=None) -> int:
    defaults = Options()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=defaults.kills, help=f"leader kills (default {defaults.kills})")
    parser.add_argument("--pauses", type=int, default=defaults.pauses,
                        help=f"leaders paused past their lease, then resumed (default {defaults.pauses})")
    parser.add_argument("--interval", type=float, default=defaults.interval,
                        help=f"seconds between two requests (default {defaults.interval})")
    parser.add_argument("--state-dir", type=Path, help="where the database, configurations and logs go (default: a new temporary folder)")
    parser.add_argument("--keep-state", action="store_true", help="keep the state folder even when every check passed")
    args = parser.parse_args(argv)
    if args.kills < 1 or args.pauses < 0 or args.interval <= 0:
        parser.error("--kills must be at least 1, --pauses at least 0 and --interval above 0")
    options = Options(kills=args.kills, pauses=args.pauses, interval=args.interval)
    return run_campaign("failover", args.state_dir, args.keep_state, lambda state_dir, say: run_failover(state_dir, options, say))


if __name__ == "__main__":
    sys.exit(main())
