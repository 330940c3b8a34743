"""The chaos campaign's schedule (scripts/devnet/chaos_faults.py): drawn from the seed alone, with the
deepest reorg and both fates of orphaned transactions in it. No chain or node needed."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from devnet.chaos_faults import Schedule  # noqa: E402


def test_same_seed_same_schedule_other_seed_another():
    first, again = (Schedule.of(7, requests=100, reorgs=20, max_depth=5, kills=5, nodes=3) for _ in range(2))
    assert first == again
    assert first != Schedule.of(8, requests=100, reorgs=20, max_depth=5, kills=5, nodes=3)


def test_depths_reach_the_maximum_and_both_fates_happen():
    for seed in range(30):
        schedule = Schedule.of(seed, requests=12, reorgs=4, max_depth=3, kills=1, nodes=2)
        depths = [r.depth for r in schedule.reorgs]
        assert max(depths) == 3 and min(depths) >= 1
        assert {r.reinject for r in schedule.reorgs} == {True, False}
        assert len(schedule.kills) == 1 and schedule.kills[0].node in (0, 1)


def test_faults_fall_within_the_traffic_in_order():
    schedule = Schedule.of(3, requests=40, reorgs=10, max_depth=5, kills=4, nodes=3)
    for plans in (schedule.reorgs, schedule.kills):
        positions = [p.after_request for p in plans]
        assert positions == sorted(positions) and all(1 <= p <= 36 for p in positions)


def test_nothing_asked_nothing_planned():
    assert Schedule.of(1, requests=1, reorgs=0, max_depth=5, kills=0, nodes=1) == Schedule([], [])
