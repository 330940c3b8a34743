"""Latency in blocks (`make latency`): bursts of requests at 2 s and 12 s blocks, measured from the chain.

    .venv/bin/python scripts/latency.py [--block-times 2,12] [--bursts 1,10,40,200] [--repeats N] [--quick]
                                        [--nodes 2] [--confirmations 0] [--wait-blocks 20] [--check-goal]
                                        [--poll-only] [--state-dir DIR] [--keep-state]

One dev network (set up under automine, as a deployment and registrations at 12 s blocks would take
minutes) is switched to each case's block time (evm_setIntervalMining); each burst's requests are signed
beforehand and sent together. Prints one line per case,
    latency: block 2 s, burst 40: P% next block, p50 X ms, p95 Y ms, within 2 blocks Q%, max Z ms
each followed by an indented line on how blocks and the node's answers spread, then the verdict on
issue 19's goals at 2 s blocks. Exits 1 on a failure of the network, or with --check-goal if a goal is
not met. docs/benchmarks.md ("Latency in blocks") explains the measures and records a run.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from devnet import DevnetError  # noqa: E402
from devnet.accounts import MAX_NODES  # noqa: E402
from devnet.bursts import Bench, Case, default_repeats, goal_lines  # noqa: E402
from devnet.network import dev_network  # noqa: E402
from devnet.processes import unwind_on_signals  # noqa: E402

QUICK = {"block_times": [2], "bursts": [1, 10, 40], "repeats": 1}


def say(line: str) -> None:
    print(f"latency: {line}", flush=True)


def numbers(text: str) -> list[int]:
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected whole numbers separated by commas, got {text!r}") from None
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"expected positive whole numbers, got {text!r}")
    return values


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--block-times", type=numbers, default=[2, 12], help="block times in seconds (default 2,12)")
    parser.add_argument("--bursts", type=numbers, default=[1, 10, 40, 200],
                        help="requests sent together (default 1,10,40,200)")
    parser.add_argument("--repeats", type=int, help="bursts per case (default: enough for about 40 requests, at "
                        "most 10, and at most about 75 s of blocks: 10/4/1/1 at 2 s, 3/3/1/1 at 12 s)")
    parser.add_argument("--quick", action="store_true", help="bursts of 1, 10 and 40 at 2 s blocks, once each "
                        "(about 2 minutes with the set-up)")
    parser.add_argument("--nodes", type=int, default=2, help=f"nodes (default 2, at most {MAX_NODES})")
    parser.add_argument("--confirmations", type=int, default=0, help="the nodes' chain.confirmations (default 0)")
    parser.add_argument("--wait-blocks", type=int, default=20, help="blocks to wait for a burst's results after "
                        "its last request's block before counting the rest unfulfilled (default 20)")
    parser.add_argument("--check-goal", action="store_true", help="exit 1 unless issue 19's goals at 2 s blocks "
                        "are met (>= 95%% next block for bursts up to 40, a 200-burst all within 2 blocks)")
    parser.add_argument("--poll-only", action="store_true", help="the nodes learn of new blocks by polling only "
                                                                  "(no chain.ws subscription), as before issue 19")
    parser.add_argument("--state-dir", type=Path, help="where keystores, configurations, databases and logs go "
                                                       "(default: a new temporary folder, removed at the end)")
    parser.add_argument("--keep-state", action="store_true", help="keep the temporary state folder")
    args = parser.parse_args(argv)
    if args.quick:
        args.block_times, args.bursts = QUICK["block_times"], QUICK["bursts"]
        args.repeats = args.repeats or QUICK["repeats"]
    if not 1 <= args.nodes <= MAX_NODES:
        parser.error(f"--nodes must be between 1 and {MAX_NODES}")
    if args.repeats is not None and args.repeats < 1 or args.confirmations < 0 or args.wait_blocks < 1:
        parser.error("--repeats and --wait-blocks must be at least 1, --confirmations at least 0")
    return args


def cases(args: argparse.Namespace) -> list[Case]:
    return [Case(block_time, burst, args.repeats or default_repeats(block_time, burst))
            for block_time in args.block_times for burst in args.bursts]


def main(argv=None) -> int:
    args = parse_args(argv)
    planned = cases(args)
    temporary = args.state_dir is None
    state_dir = (args.state_dir or Path(tempfile.mkdtemp(prefix="cloister-latency-"))).resolve()
    unwind_on_signals()
    started = time.monotonic()
    say(f"state folder {state_dir}; {args.nodes} nodes, confirmations {args.confirmations}, "
        f"new blocks {'by polling only' if args.poll_only else 'pushed (chain.ws) with polling as the fallback'}; cases: "
        + ", ".join(f"{c.burst} x {c.repeats} at {c.block_time} s" for c in planned))
    results, failed = [], False
    try:
        with dev_network(state_dir, args.nodes, args.confirmations, log=say,
                         chain_settings={"ws": ""} if args.poll_only else None) as net:
            bench = Bench(net, args.wait_blocks)
            say(f"network ready after {time.monotonic() - started:.0f} s")
            for case in planned:
                result = bench.run(case)
                results.append(result)
                print(result.line(), flush=True)
                print(f"  {result.detail()}", flush=True)
            net.chain.set_block_time(None)
    except DevnetError as error:
        print(f"latency: {error}", file=sys.stderr)
        failed = True
    except KeyboardInterrupt:
        print("latency: stopped", file=sys.stderr)
        return 130
    finally:
        if temporary and not args.keep_state and not failed:
            shutil.rmtree(state_dir, ignore_errors=True)
    if failed:
        print(f"latency: the state folder {state_dir} keeps the logs", file=sys.stderr)
        return 1
    lines, met = goal_lines(results)
    for line in lines:
        say(line)
    say(f"wall time {time.monotonic() - started:.0f} s")
    return 1 if args.check_goal and not met else 0


if __name__ == "__main__":
    sys.exit(main())
