"""Checks of scripts/economics.py: the closed form against its Monte Carlo, the shape of the profit,
the verdict at the defaults, and the parameter parser against the deployed contract."""
from __future__ import annotations

import re
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import economics  # noqa: E402
from economics import Market, break_even, cheating_gain, expected_profit  # noqa: E402

PARAMS = economics.parse_defaults()
P_DEFAULT = PARAMS["verifyBps"] / economics.BPS
DEFAULT = Market.from_params(PARAMS, fee=0.001, cost=0.0005)
# A stake of a few fees makes every term (lost fee, verifier cut, bond, loot) visible above the noise.
SMALL_STAKE = replace(DEFAULT, stake=0.01)
REQUESTS = 200_000
TOLERANCE = 4.0  # standard errors


@pytest.mark.parametrize("market, p, s", [
    (DEFAULT, P_DEFAULT, 1.0),
    (DEFAULT, 2 * P_DEFAULT, 0.5),
    (SMALL_STAKE, 0.3, 1.0),
    (replace(SMALL_STAKE, challenge_rate=0.2, collusion=0.3), 0.2, 0.7),
    (replace(SMALL_STAKE, challenge_rate=0.5, collusion=0.45, bribe=0.002), 0.05, 1.0),
    (replace(SMALL_STAKE, jurors=2, collusion=0.5, challenge_rate=0.3), 0.4, 1.0),  # even jury: ties
])
def test_closed_form_matches_monte_carlo(market, p, s):
    mean, se = economics.simulate(market, p, s, REQUESTS, np.random.default_rng(7))
    assert abs(mean - expected_profit(market, p, s)) <= TOLERANCE * se


def test_monte_carlo_would_notice_a_forgotten_term():
    """The check above has power: dropping the fee a caught cheater forfeits moves the closed form far outside."""
    market, p = SMALL_STAKE, 0.3
    mean, se = economics.simulate(market, p, 1.0, REQUESTS, np.random.default_rng(11))
    forgetting_the_fee = expected_profit(market, p, 1.0) + p * market.share
    assert abs(mean - forgetting_the_fee) > 3 * TOLERANCE * se


@pytest.mark.parametrize("market", [
    DEFAULT, replace(DEFAULT, cost=DEFAULT.fee, bribe=0.01), replace(DEFAULT, challenge_rate=0.1),
    replace(DEFAULT, collusion=0.3), SMALL_STAKE,
])
@pytest.mark.parametrize("s", [0.01, 0.1, 0.5, 1.0])
def test_profit_decreases_with_sampling(market, s):
    profits = expected_profit(market, np.linspace(0, 1, 101), s)
    assert np.all(np.diff(profits) < 0)


def test_cheating_loses_money_at_the_defaults():
    assert cheating_gain(DEFAULT, P_DEFAULT) < 0
    assert expected_profit(DEFAULT, P_DEFAULT, 1.0) < 0 < expected_profit(DEFAULT, P_DEFAULT, 0.0)
    assert 0 < break_even(DEFAULT) < P_DEFAULT / 5
    assert break_even(replace(DEFAULT, cost=DEFAULT.fee)) < P_DEFAULT  # even if the whole fee is saved


def test_break_even_matches_the_textbook_condition():
    """No challenges, honest jury: p* = (c + B) / (σK + (e − v)F), and Δ(p*) = 0."""
    for market in (DEFAULT, replace(DEFAULT, bribe=0.003, stake=3.0)):
        expected = (market.cost + market.bribe) / (
            market.slash * market.stake + market.share - market.verifier_fee * market.fee)
        assert break_even(market) == pytest.approx(expected, rel=1e-12)
        assert cheating_gain(market, break_even(market)) == pytest.approx(0, abs=1e-15)
    assert economics.max_bribe(DEFAULT, P_DEFAULT) == pytest.approx(-cheating_gain(DEFAULT, P_DEFAULT))


def test_burst_loss_is_capped_by_the_stake():
    n = economics.burst_break_even(DEFAULT, P_DEFAULT)
    assert economics.burst_gain(DEFAULT, P_DEFAULT, n - 1) <= 0 < economics.burst_gain(DEFAULT, P_DEFAULT, n)
    assert economics.burst_gain(DEFAULT, P_DEFAULT, 1) == pytest.approx(cheating_gain(DEFAULT, P_DEFAULT))


def test_parser_reads_what_the_deployed_contract_reports():
    boa = pytest.importorskip("boa")
    with boa.env.anchor():
        core = boa.load_partial(str(ROOT / "contracts" / "Cloister.vy")).deploy(boa.env.generate_address())
        deployed = core.params()._asdict()
    assert list(deployed.items()) == list(PARAMS.items())


@pytest.mark.parametrize("edit", [
    lambda text: text.replace("        slashBps=5000,\n", ""),                      # a field missing
    lambda text: text.replace("verifyBps=100", "verifyBps=pick(100)"),           # a call
    lambda text: text.replace("    slashBps: uint256", "    slashBps: uint16"),    # another type
    lambda text: text.replace("def defaults()", "def default_params()"),          # renamed
    lambda text: text.replace("minStake=10**18,\n        verifyBps=100,", "verifyBps=100,\n        minStake=10**18,"),
])
def test_parser_fails_loudly_on_another_layout(edit, tmp_path):
    source = economics.CONFIG.read_text()
    changed = edit(source)
    assert changed != source
    (tmp_path / "config.vy").write_text(changed)
    with pytest.raises(economics.ConfigLayoutError):
        economics.parse_defaults(tmp_path / "config.vy")


def test_the_documented_defaults_are_the_contract_defaults():
    rows = re.findall(r"^\| `(\w+)` \| ([\d,]+) \|", (ROOT / "docs" / "economics.md").read_text(), re.M)
    assert {name: int(value.replace(",", "")) for name, value in rows} == PARAMS
