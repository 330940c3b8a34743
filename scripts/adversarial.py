"""A cheating node among honest ones on the local dev network (`make adversarial`), judged from the chain.

    .venv/bin/python scripts/adversarial.py [--requests 24] [--wrong-share-bps 5000] [--state-dir DIR]
                                            [--timeout 180]

Four honest nodes, one `cloister-adversary` node (wrong on a predictable share of inputs), one node that
goes offline, and the attackers: a colluding node that never votes as a juror and tops up its stake to
steer draws, a requester that farms timeouts, sends envelopes with a broken key wrap (then tries
proveWrap against the honest answer) and asks for a callback that burns its whole gas cap, and a relayer
that tampers with and front-runs results it sees in node 0's mempool. Prints progress, one line per check, and ends with
    adversarial: W wrong results, D disputed, D won by honest majority, cheater slashed X ETH, honest slashed 0,
    griefing attempts G, attacker profit P ETH, draws steered 0
(on one line).
Exits 1 if a check failed (named on stderr). docs/adversarial.md explains each step and line.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from devnet import DevnetError  # noqa: E402
from devnet.processes import unwind_on_signals  # noqa: E402
from devnet.adversary_run import Options, run_adversarial  # noqa: E402
from devnet.binary import adversary_binary  # noqa: E402


def say(line: str) -> None:
    print(f"adversarial: {line}", flush=True)



def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=24, help="adversarial requests to send (default 24)")
    parser.add_argument("--wrong-share-bps", type=int, default=5000,
                        help="share of inputs the cheater answers wrongly, in basis points (default 5000)")
    parser.add_argument("--state-dir", type=Path, help="where keystores, configurations, databases and logs go "
                                                       "(default: a new temporary folder)")
    parser.add_argument("--timeout", type=float, default=180, help="seconds each waiting step may take (default 180)")
    args = parser.parse_args(argv)
    if args.requests < 1 or not 0 <= args.wrong_share_bps <= 10000:
        parser.error("--requests must be at least 1 and --wrong-share-bps between 0 and 10000")
    state_dir = (args.state_dir or Path(tempfile.mkdtemp(prefix="cloister-adversarial-"))).resolve()
    unwind_on_signals()
    started = time.monotonic()
    say(f"state folder {state_dir}")
    try:
        options = Options(args.requests, args.wrong_share_bps, args.timeout)
        report = run_adversarial(state_dir, options, say, adversary_binary())
    except DevnetError as error:
        print(f"adversarial: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("adversarial: stopped", file=sys.stderr)
        return 130
    for check in report.checks:
        say(f"{'ok' if check.ok else 'FAILED'}: {check.name}: {check.detail}")
    say(f"wall time {time.monotonic() - started:.1f} s")
    print(report.line(), flush=True)
    for check in report.failed:
        print(f"adversarial: check failed: {check.name}", file=sys.stderr)
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
