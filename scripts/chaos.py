"""The project's own fault campaign (`make chaos`): reorgs, lagging RPC backends and kill -9 under traffic,
judged from the chain.

    .venv/bin/python scripts/chaos.py [--requests 100] [--nodes 3] [--reorgs 20] [--max-depth 5]
                                      [--fault-rate 0.2] [--kills 5] [--seed 14] [--confirmations 2]
                                      [--quiet 30] [--no-failover] [--state-dir DIR] [--keep-state]

Prints progress, then what failed (if anything), then exactly one line:
    chaos: K kills, R reorgs (max depth D), F% rpc faults, N requests, N fulfilled exactly once, N settled,
    0 lost, 0 nonce gaps, honest slashed 0
(on one line) and exits 1 if any check failed. docs/operations.md ("Chaos campaign") explains each part.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from devnet.accounts import MAX_NODES  # noqa: E402
from devnet.chain import EPOCH_BLOCKS  # noqa: E402
from devnet.campaign import run_campaign  # noqa: E402
from devnet.chaos_run import Options, run_chaos  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    defaults = Options()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=defaults.requests, help=f"requests to send "
                        f"(default {defaults.requests})")
    parser.add_argument("--nodes", type=int, default=defaults.nodes, help=f"nodes (default {defaults.nodes})")
    parser.add_argument("--reorgs", type=int, default=defaults.reorgs, help=f"reorgs (default {defaults.reorgs})")
    parser.add_argument("--max-depth", type=int, default=defaults.max_depth,
                        help=f"deepest reorg; one reorg has this depth (default {defaults.max_depth})")
    parser.add_argument("--fault-rate", type=float, default=defaults.fault_rate,
                        help=f"share of the nodes' RPC calls the lagging backend lies to (default {defaults.fault_rate})")
    parser.add_argument("--kills", type=int, default=defaults.kills, help=f"kill -9 of a node under traffic, each "
                        f"followed by a restart (default {defaults.kills})")
    parser.add_argument("--seed", type=int, default=defaults.seed, help=f"seed of every schedule (default "
                        f"{defaults.seed})")
    parser.add_argument("--confirmations", type=int, default=defaults.confirmations,
                        help=f"the nodes' chain.confirmations (default {defaults.confirmations})")
    parser.add_argument("--quiet", type=float, default=defaults.quiet, help=f"seconds without progress before a "
                        f"waiting step gives up and the campaign judges what it has (default {defaults.quiet:.0f})")
    parser.add_argument("--no-failover", action="store_true", help="the fault proxy is each node's only endpoint "
                        "(by default the chain itself is the second, which a node may fail over to on errors)")
    parser.add_argument("--state-dir", type=Path, help="where keystores, configurations, databases and logs go "
                                                       "(default: a new temporary folder)")
    parser.add_argument("--keep-state", action="store_true", help="keep the state folder (node logs, databases, "
                                                                  "proxy logs) even when every check passed")
    args = parser.parse_args(argv)
    if args.requests < 1 or not 1 <= args.nodes <= MAX_NODES:
        parser.error(f"--requests must be at least 1 and --nodes between 1 and {MAX_NODES}")
    if args.reorgs < 0 or args.kills < 0 or not 1 <= args.max_depth <= 64:
        parser.error("--reorgs and --kills must be at least 0, --max-depth within 1..64")
    if not 0 <= args.fault_rate <= 1 or not 0 <= args.confirmations <= 64:
        parser.error("--fault-rate must be within 0..1 and --confirmations within 0..64")
    if args.max_depth >= EPOCH_BLOCKS:
        parser.error("--max-depth must stay below the draw epoch")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    options = Options(args.requests, args.nodes, args.reorgs, args.max_depth, args.fault_rate, args.kills, args.seed,
                      args.confirmations, quiet=args.quiet, failover=not args.no_failover)
    return run_campaign("chaos", args.state_dir, args.keep_state, lambda state_dir, say: run_chaos(state_dir, options, say))


if __name__ == "__main__":
    sys.exit(main())
