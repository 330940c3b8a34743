"""Issue 19: `make latency` (scripts/latency.py) prints one line per case in the issue's form; its measures
(share in the next block, within 2 blocks, percentiles, the goals) are checked on made-up requests too."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from devnet.bursts import Case, CaseResult, Measured, default_repeats, goal_lines

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "latency.py"
LINE = re.compile(r"^latency: block (\d+) s, burst (\d+): ([0-9.]+)% next block, p50 (\d+) ms, p95 (\d+) ms, "
                  r"within 2 blocks ([0-9.]+)%, max (\d+) ms$")


@pytest.mark.node_e2e
def test_quickest_run_prints_the_case_line(tmp_path):
    argv = [sys.executable, str(SCRIPT), "--block-times", "1", "--bursts", "1", "--repeats", "1", "--nodes", "1",
            "--state-dir", str(tmp_path)]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    lines = [line for line in result.stdout.splitlines() if line.startswith("latency: block ")]
    assert len(lines) == 1, result.stdout[-3000:]
    match = LINE.match(lines[0])
    assert match, lines[0]
    block_time, burst, next_block, p50, p95, within_two, top = match.groups()
    assert (block_time, burst) == ("1", "1")
    assert 0 <= float(next_block) <= float(within_two) <= 100
    assert int(p50) <= int(p95) <= int(top)
    assert "goal: " in result.stdout  # the verdict, here "not measured" (no case at 2 s)


def request(requested: int, fulfilled: int | None, latency: float | None = None) -> Measured:
    return Measured(requested, fulfilled, latency, None, None if fulfilled is None else f"0x{fulfilled:x}")


def test_next_block_counts_confirmations_and_unfulfilled_requests():
    requests = [request(10, 11, 2000), request(10, 12, 4000), request(10, 14, 8000), request(11, None)]
    result = CaseResult(Case(2, 4, 1), 0, requests)
    assert (result.share(1), result.share(2), result.unfulfilled) == (25.0, 50.0, 1)
    assert result.line() == ("latency: block 2 s, burst 4: 25% next block, p50 4000 ms, p95 8000 ms, "
                             "within 2 blocks 50%, max 8000 ms")
    assert "1: 1, 2: 1, 4: 1" in result.detail() and "1 NOT fulfilled" in result.detail()
    buried = CaseResult(Case(2, 4, 1), 1, requests)  # a node waiting for 1 confirmation has one block more
    assert (buried.share(1), buried.share(2)) == (50.0, 50.0)


def test_goals_at_two_second_blocks():
    def case(burst: int, gap: int, count: int) -> CaseResult:
        return CaseResult(Case(2, burst, 1), 0, [request(5, 5 + gap, 2000.0)] * count)

    lines, met = goal_lines([case(40, 1, 40), case(200, 2, 200)])
    assert met and "met (lowest: burst 40, 100%)" in lines[0] and lines[1].endswith("met (100%)")
    late = CaseResult(Case(2, 40, 1), 0, [request(5, 6, 2000.0)] * 37 + [request(5, 7, 4000.0)] * 3)
    lines, met = goal_lines([case(1, 1, 10), late, case(200, 3, 200)])
    assert not met and "NOT met (lowest: burst 40, 92.5%)" in lines[0] and "NOT met (0%)" in lines[1]
    assert goal_lines([CaseResult(Case(12, 1, 1), 0, [request(5, 6)])])[1] is False  # nothing measured at 2 s


def test_default_repetitions_fit_the_block_time():
    assert [default_repeats(2, b) for b in (1, 10, 40, 200)] == [10, 4, 1, 1]
    assert [default_repeats(12, b) for b in (1, 10, 40, 200)] == [3, 3, 1, 1]
