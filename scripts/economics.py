"""Does cheating pay? Expected profit of a Cloister executor that returns wrong results.

    .venv/bin/python scripts/economics.py [--out docs/economics.png] [--trials N] [--seed S]

The protocol parameters are the defaults of contracts/lib/config.vy, read by `parse_defaults`
(a strict parser that stops with `ConfigLayoutError` if the file's layout changes). The request
fee, the inference cost and the behaviour of the other nodes are not protocol parameters: they are
options (`--fee`, `--cost`, `--bribe`, `--stake`, `--challenge-rate`, `--collusion`).

Model, per request of fee F assigned to the node (docs/economics.md derives it):
- honest answer: the node spends the inference cost c and is paid its share e·F with e = 1 - protocolFee;
  when the result is sampled (probability p) the verifier's cut v·F comes out of that share;
- wrong answer: the node saves c and may receive an outside gain B (a bribe); the wrong result is
  disputed when sampled (a colluding verifier, probability γ, confirms it instead) or, if not sampled,
  when an honest node challenges it (probability q, with bond b). A jury of k nodes, each colluding
  with probability γ, votes with the executor (colluders) or with the honest opener. If the honest
  side wins, the executor loses slashBps·K of its stake K and the fee; if the executor's side wins it
  keeps the fee and shares the losers' slashed stake (and a losing challenger's bond) with the
  colluding jurors; with no majority nothing is slashed and the fee is paid;
- the node's stake is kept at K (topped up after a slash), so every caught answer costs the same.

A node that answers a share s of its requests wrongly earns, per request,
    profit(p, s) = (1 - s)·honest(p) + s·wrong(p),
linear in p and s. It is checked here against a Monte Carlo simulation that draws every request's
sampling, challenge and jury votes and resolves disputes by counting votes as Arbiter.resolve does.
"""
from __future__ import annotations

import argparse
import ast
import json
import math
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "contracts" / "lib" / "config.vy"
ETHER = 10**18
BPS = 10_000
Z95 = 1.96


# ---- parameters from contracts/lib/config.vy ------------------------------------------------

class ConfigLayoutError(RuntimeError):
    """config.vy no longer has the layout this parser understands; update the parser, do not guess."""


_OPERATORS = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
              ast.Pow: lambda a, b: a**b, ast.LShift: lambda a, b: a << b}


def _evaluate(node: ast.AST, constants: dict[str, int]) -> int:
    """Value of an integer expression made of literals, known constants and + - * ** <<."""
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.Name) and node.id in constants:
        return constants[node.id]
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)](_evaluate(node.left, constants), _evaluate(node.right, constants))
    raise ConfigLayoutError(f"unsupported expression in config.vy: {ast.unparse(node)}")


def _constants(source: str) -> dict[str, int]:
    """Module constants `NAME: constant(uint256) = expression`, in file order."""
    constants: dict[str, int] = {}
    for name, expression in re.findall(r"^([A-Z][A-Z0-9_]*): constant\(uint256\) = (.+)$", source, re.M):
        constants[name] = _evaluate(ast.parse(expression, mode="eval").body, constants)
    return constants


def _struct_fields(source: str, struct: str) -> list[str]:
    """Field names of a struct whose fields are all uint256 (comment lines between them are allowed)."""
    match = re.search(rf"^struct {struct}:\n((?:    .*\n)+)", source, re.M)
    if not match:
        raise ConfigLayoutError(f"struct {struct} not found")
    fields = re.findall(r"^    (\w+): uint256$", match.group(1), re.M)
    declared = [line for line in match.group(1).splitlines() if not line.strip().startswith("#")]
    if len(fields) != len(declared):
        raise ConfigLayoutError(f"struct {struct} has a field that is not `name: uint256`")
    return fields


def _function(source: str, name: str) -> ast.FunctionDef:
    """A top-level function's source (its `def` line and indented body), parsed as Python."""
    match = re.search(rf"^def {name}\(.*\n(?:(?:    .*)?\n)+", source, re.M)
    if not match:
        raise ConfigLayoutError(f"def {name} not found")
    return ast.parse(match.group(0)).body[0]


def parse_defaults(path: Path = CONFIG) -> dict[str, int]:
    """The `Params` returned by `defaults()` in config.vy, as {field: value} in the struct's order.

    Raises ConfigLayoutError unless defaults() is a single `return Params(field=expression, ...)`
    naming every field of `struct Params` once, in order, with integer expressions of literals and
    module constants.
    """
    source = path.read_text()
    fields = _struct_fields(source, "Params")
    body = _function(source, "defaults").body
    call = body[0].value if len(body) == 1 and isinstance(body[0], ast.Return) else None
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "Params"
            and not call.args):
        raise ConfigLayoutError("defaults() is not a single `return Params(name=value, ...)`")
    names = [keyword.arg for keyword in call.keywords]
    if names != fields:
        raise ConfigLayoutError(f"defaults() sets {names}, struct Params has {fields}")
    constants = _constants(source)
    values = {keyword.arg: _evaluate(keyword.value, constants) for keyword in call.keywords}
    for name, value in values.items():
        if not 0 <= value < 2**256:
            raise ConfigLayoutError(f"{name} = {value} is not a uint256")
    return values


# ---- the model --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Market:
    """One executor's situation: protocol parameters (from Params) and the assumptions around them.

    Amounts in ether, shares as fractions of 1.
    """

    stake: float            # K, the executor's stake (default: minStake)
    slash: float            # σ = slashBps / 10^4, taken from a dispute's losers
    bond: float             # b = challengeBond, posted by a voluntary challenger
    jurors: int             # k = jurorCount
    protocol_fee: float     # protocolFeeBps / 10^4 of every fee
    verifier_fee: float     # v = verifierFeeBps / 10^4, paid out of the executor's share when verified
    fee: float              # F, the request fee (set per model by the owner)
    cost: float             # c, the inference cost a wrong answer saves
    bribe: float = 0.0      # B, outside gain per wrong answer (kept even when caught)
    challenge_rate: float = 0.0  # q, chance an honest node challenges an unsampled wrong result
    collusion: float = 0.0       # γ, chance a drawn verifier or juror sides with the executor

    @classmethod
    def from_params(cls, params: dict[str, int], fee: float, cost: float, **assumptions) -> "Market":
        """A market at the contract's parameters; `assumptions` override the remaining fields."""
        fields = dict(stake=params["minStake"] / ETHER, slash=params["slashBps"] / BPS,
                      bond=params["challengeBond"] / ETHER, jurors=params["jurorCount"],
                      protocol_fee=params["protocolFeeBps"] / BPS, verifier_fee=verifier_share(params, fee),
                      fee=fee, cost=cost)
        fields.update(assumptions)
        return cls(**fields)

    @property
    def share(self) -> float:
        """e·F: what the executor is paid for a result settled without a verifier."""
        return (1 - self.protocol_fee) * self.fee


# Gas a `verify` is paid for at params.gasPrice (VERIFY_GAS in contracts/Cloister.vy).
VERIFY_GAS = 150_000


def verifier_share(params: dict[str, int], fee: float) -> float:
    """v: the share of the fee a confirming verifier is paid, as settle computes it:
    max(verifierFeeBps, VERIFY_GAS · gasPrice / fee), at most what the protocol's cut leaves."""
    gas = VERIFY_GAS * params["gasPrice"] / ETHER / fee
    return min(max(params["verifierFeeBps"] / BPS, gas), 1 - params["protocolFeeBps"] / BPS)


def duty_costs(params: dict[str, int], m: Market, verify_gas: int) -> dict[str, float]:
    """What a sampled verifier and a drawn juror gain or lose by doing their duty or not (ETH)."""
    price = params["gasPrice"] / ETHER
    return {
        "verifier paid": m.verifier_fee * m.fee,
        "verify gas at gasPrice": verify_gas * price,
        "verifier net of gas and re-execution": m.verifier_fee * m.fee - verify_gas * price - m.cost,
        "silent verifier slashed": params["absentSlashBps"] / BPS * m.stake,
        "absent juror slashed, per round": params["absentSlashBps"] / BPS * m.stake,
        "timeout slash (burned)": params["timeoutSlashBps"] / BPS * m.stake,
    }


def honest_profit(m: Market, p):
    """Expected profit of a correct answer at sampling probability p (scalar or array)."""
    return m.share - p * m.verifier_fee * m.fee - m.cost


def jury_payoff(m: Market, colluders: int, bond: float) -> float:
    """Executor's payoff from a dispute an honest node opened, when `colluders` of the k jurors side with it.

    Votes: executor and colluders for the wrong commitment, the opener and the other jurors for
    the right one; more than half of the k + 2 votes wins (Arbiter.resolve).
    """
    voters, wrong_votes = m.jurors + 2, 1 + colluders
    right_votes = voters - wrong_votes
    if 2 * right_votes > voters:
        return -m.slash * m.stake
    if 2 * wrong_votes > voters:
        return m.share + (m.slash * m.stake * right_votes + bond) / wrong_votes
    return m.share


def dispute_payoff(m: Market, bond: float) -> float:
    """Executor's expected payoff from a dispute opened against its wrong result, over the jury draw."""
    k, g = m.jurors, m.collusion
    return sum(math.comb(k, j) * g**j * (1 - g) ** (k - j) * jury_payoff(m, j, bond) for j in range(k + 1))


def wrong_profit(m: Market, p):
    """Expected profit of a wrong answer at sampling probability p (no inference cost, plus B)."""
    if_sampled = m.collusion * (m.share - m.verifier_fee * m.fee) + (1 - m.collusion) * dispute_payoff(m, 0.0)
    if_unsampled = m.challenge_rate * dispute_payoff(m, m.bond) + (1 - m.challenge_rate) * m.share
    return m.bribe + p * if_sampled + (1 - p) * if_unsampled


def expected_profit(m: Market, p, s):
    """Expected profit per request of a node answering a share s of its requests wrongly."""
    return (1 - s) * honest_profit(m, p) + s * wrong_profit(m, p)


def cheating_gain(m: Market, p):
    """Δ(p): what one wrong answer earns over a right one; cheating pays iff Δ > 0."""
    return wrong_profit(m, p) - honest_profit(m, p)


def break_even(m: Market) -> float:
    """p* with Δ(p*) = 0 (Δ is linear in p): 0 if cheating never pays, inf if it pays at every p."""
    at_zero, at_one = cheating_gain(m, 0.0), cheating_gain(m, 1.0)
    if at_zero <= 0:
        return 0.0
    if at_one >= 0:
        return math.inf
    return at_zero / (at_zero - at_one)


def max_bribe(m: Market, p: float) -> float:
    """The outside gain per wrong answer at which cheating starts to pay (Δ grows one for one with B)."""
    return m.bribe - cheating_gain(m, p)


def watcher_error_rate(m: Market) -> float:
    """Share of wrong results above which re-executing and challenging pays for a node (honest jury).

    A winning challenger shares the executor's slashed stake with the k jurors and gets its bond back.
    """
    return m.cost * (m.jurors + 1) / (m.slash * m.stake)


def jury_capture(m: Market) -> float:
    """Chance that the colluders hold a majority of the dispute's votes (executor included)."""
    k, g = m.jurors, m.collusion
    wins = [j for j in range(k + 1) if 2 * (1 + j) > k + 2]
    return sum(math.comb(k, j) * g**j * (1 - g) ** (k - j) for j in wins)


def burst_gain(m: Market, p: float, n: int) -> float:
    """Expected gain over honesty of n wrong answers in flight at once, honest jury.

    Each dispute slashes σ of the *current* stake, so n answers caught together cost K·(1 - (1-dσ)^n)
    (d = chance a wrong answer is disputed), never more than K.
    """
    disputed = p + (1 - p) * m.challenge_rate
    per_answer = m.cost + m.bribe + p * m.verifier_fee * m.fee - disputed * m.share
    return n * per_answer - m.stake * (1 - (1 - disputed * m.slash) ** n)


def burst_break_even(m: Market, p: float, limit: int = 10**9) -> int | None:
    """Smallest burst n with positive burst_gain (None up to `limit`). burst_gain is convex in n, 0 at 0."""
    high = 1
    while burst_gain(m, p, high) <= 0:
        if high >= limit:
            return None
        high *= 2
    low = high // 2
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if burst_gain(m, p, middle) <= 0 else (low, middle)
    return high


def collusion_limit(m: Market, p: float) -> float:
    """Smallest collusion share γ at which cheating pays at sampling probability p (bisection; 1 if none)."""
    if cheating_gain(replace(m, collusion=1.0), p) <= 0:
        return 1.0
    low, high = 0.0, 1.0
    for _ in range(50):
        middle = (low + high) / 2
        low, high = (middle, high) if cheating_gain(replace(m, collusion=middle), p) <= 0 else (low, middle)
    return high


# ---- Monte Carlo ------------------------------------------------------------------------------

def simulate(m: Market, p: float, s: float, requests: int, rng: np.random.Generator) -> tuple[float, float]:
    """Mean profit per request of a node serving `requests` requests, and its standard error.

    Every request draws whether the answer is wrong (s), sampled (p), confirmed by a colluding
    verifier (γ), challenged when unsampled (q) and which jurors collude (γ each); disputes are
    settled by counting the votes.
    """
    wrong = rng.random(requests) < s
    sampled = rng.random(requests) < p
    verifier_colludes = rng.random(requests) < m.collusion
    challenged = rng.random(requests) < m.challenge_rate
    colluding_jurors = (rng.random((requests, m.jurors)) < m.collusion).sum(axis=1)

    verifier_cut = np.where(sampled, m.verifier_fee * m.fee, 0.0)
    honest = m.share - verifier_cut - m.cost

    disputed = np.where(sampled, ~verifier_colludes, challenged)
    bond = np.where(sampled, 0.0, m.bond)
    voters = m.jurors + 2
    votes_for_executor = 1 + colluding_jurors
    votes_against = voters - votes_for_executor
    shared_loot = (m.slash * m.stake * votes_against + bond) / votes_for_executor
    cheat = m.bribe + np.select(
        [~disputed, 2 * votes_against > voters, 2 * votes_for_executor > voters],
        [m.share - verifier_cut, np.full(requests, -m.slash * m.stake), m.share + shared_loot],
        default=m.share,
    )
    profit = np.where(wrong, cheat, honest)
    return float(profit.mean()), float(profit.std(ddof=1) / math.sqrt(requests))


# ---- report -----------------------------------------------------------------------------------

SHARES = (0.0, 0.01, 0.1, 0.5, 1.0)


def plot(m: Market, p_default: float, out: Path, checks: list[tuple[float, float, float, float]]) -> None:
    """Profit per request against p for several s, with Monte Carlo points; p* against the gain per wrong answer."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    p_star = break_even(m)
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
    ps = np.linspace(0, 2.5 * p_default, 201)
    labelled = False
    for s in SHARES:
        line, = left.plot(ps * 100, expected_profit(m, ps, s) / m.fee, label=f"s = {s:g}")
        points = [(p, mean, se) for p, s_check, mean, se in checks if s_check == s]
        if points:
            x, y, se = (np.array(column) for column in zip(*points))
            left.errorbar(x * 100, y / m.fee, yerr=Z95 * se / m.fee, fmt="o", ms=3, color=line.get_color(), capsize=2,
                          label=None if labelled else "Monte Carlo ± 95 % CI")
            labelled = True
    left.axvline(p_default * 100, color="k", ls="--", lw=1, label=f"default p = {p_default:.2%}")
    left.axvline(p_star * 100, color="r", ls=":", lw=1.5, label=f"break-even p* = {p_star:.3%}")
    left.axhline(0, color="grey", lw=0.5)
    left.set_ylim(expected_profit(m, ps[-1], 1.0) / m.fee * 1.05, 2)
    left.set_xlabel("sampling probability p (%)")
    left.set_ylabel("expected profit per request (in fees F)")
    left.set_title(f"Node answering a share s wrongly (K = {m.stake:g} ETH, F = {m.fee:g} ETH, c = {m.cost:g} ETH)",
                   fontsize=9)
    left.legend(fontsize=8, loc="lower left")

    gains = np.logspace(-5, 0, 200)
    for multiple in (1, 10, 100):
        stake = m.stake * multiple
        stars = [break_even(replace(m, stake=stake, cost=g, bribe=0.0)) for g in gains]
        right.loglog(gains, np.minimum(stars, 1.0), label=f"stake K = {stake:g} ETH")
    right.axhline(p_default, color="k", ls="--", lw=1, label="default p")
    right.axvline(m.cost + m.bribe, color="r", ls=":", lw=1.5, label="c + B of the left panel")
    largest = m.cost + max_bribe(m, p_default)
    right.plot([largest], [p_default], "ko", ms=4, label=f"largest deterred c + B at K = {m.stake:g}: {largest:.4f} ETH")
    right.set_xlabel("gain per wrong answer c + B (ETH)")
    right.set_ylabel("break-even sampling probability p*")
    right.set_title("Break-even p*: a sampling probability above the line deters", fontsize=9)
    right.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=120)
    plt.close(fig)


def scenarios(base: Market) -> list[tuple[str, Market]]:
    """The default market and variations that weaken or strengthen the deterrent."""
    return [
        ("defaults", base),
        ("c = F (the whole fee is saved)", replace(base, cost=base.fee)),
        ("bribe B = 0.005 ETH", replace(base, bribe=0.005)),
        ("stake K = 10 x minStake", replace(base, stake=10 * base.stake)),
        ("challenges q = 5 %", replace(base, challenge_rate=0.05)),
        ("collusion 20 %", replace(base, collusion=0.2)),
        ("collusion 40 %", replace(base, collusion=0.4)),
    ]


def report(params: dict[str, int], m: Market, trials: int, seed: int, out: Path) -> None:
    """Print the Monte Carlo check, the break-even condition and the margins; save the plot."""
    p_default = params["verifyBps"] / BPS
    rng = np.random.default_rng(seed)
    checks = []
    print(f"{'p':>6} {'s':>5} {'closed form (ETH)':>18} {'simulated (ETH) ± 95 % CI':>29}")
    for p in (p_default / 10, p_default / 2, p_default, 2 * p_default):
        for s in (0.1, 0.5, 1.0):
            mean, se = simulate(m, p, s, trials, rng)
            checks.append((p, s, mean, se))
            print(f"{p:6.2%} {s:5.2f} {expected_profit(m, p, s):18.6f} {mean:19.6f} ± {Z95 * se:.6f}")

    p_star = break_even(m)
    disputed = p_default + (1 - p_default) * m.challenge_rate
    loss = disputed * (m.slash * m.stake + m.share)
    gain = m.cost + m.bribe + p_default * m.verifier_fee * m.fee
    print("\ncheating does not pay iff d·(σK + eF) > c + B + p·vF, d = p + (1 − p)·q"
          + ("" if m.collusion == 0 else "   (honest jury; collusion: see the scenarios)"))
    print(f"  at the defaults: {disputed:.4f} × ({m.slash:g}·{m.stake:g} + {m.share:g}) = {loss:.6f} ETH"
          f" > {m.cost:g} + {m.bribe:g} + {p_default * m.verifier_fee * m.fee:g} = {gain:.6f} ETH")
    print(f"  break-even p* = {p_star:.4%}; margin p/p* = {p_default / p_star:.1f}x;"
          f" expected gain of a wrong answer Δ = {cheating_gain(m, p_default):+.6f} ETH")
    print(f"  largest outside gain per wrong answer still deterred: B = {max_bribe(m, p_default):.6f} ETH")
    print(f"  challenging pays for a watcher once more than {watcher_error_rate(m):.2%} of results are wrong")
    print(f"  cheating pays once a share γ ≥ {collusion_limit(m, p_default):.1%} of the drawn verifiers and jurors collude"
          f" (at any p once γ ≥ {collusion_limit(m, 1.0):.1%})")
    burst = burst_break_even(m, p_default)
    print(f"  a burst of wrong answers caught together pays from n = {burst} answers (loss capped at K, honest jury)")

    print(f"\n{'scenario':<32} {'p*':>9} {'margin p/p*':>12} {'Δ at default p (ETH)':>21} {'jury capture':>13}")
    for name, variant in scenarios(m):
        star = break_even(variant)
        margin = "never pays" if star == 0 else "always pays" if math.isinf(star) else f"{p_default / star:.1f}x"
        print(f"{name:<32} {star:9.4%} {margin:>12} {cheating_gain(variant, p_default):+21.6f}"
              f" {jury_capture(variant):13.2%}")
    verify_gas = json.loads((ROOT / "docs" / "gas.json").read_text())["verify_match"]
    print(f"\nduties (protocol v2), ETH, at a verify of {verify_gas:,} gas (docs/gas.json, make gas):")
    for name, value in duty_costs(params, m, verify_gas).items():
        print(f"  {name:<40} {value:+.6f}")
    plot(m, p_default, out, checks)
    print(f"\nplot: {out}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "economics.png", help="PNG to write")
    parser.add_argument("--trials", type=int, default=400_000, help="requests simulated per (p, s) point")
    parser.add_argument("--seed", type=int, default=2024, help="seed of the Monte Carlo generator")
    parser.add_argument("--fee", type=float, default=0.001, help="request fee F in ETH")
    parser.add_argument("--cost", type=float, help="inference cost c saved by a wrong answer, ETH (default F/2)")
    parser.add_argument("--bribe", type=float, default=0.0, help="outside gain B per wrong answer, ETH")
    parser.add_argument("--stake", type=float, help="executor stake K in ETH (default minStake)")
    parser.add_argument("--challenge-rate", type=float, default=0.0, help="q: chance an unsampled wrong result is challenged")
    parser.add_argument("--collusion", type=float, default=0.0, help="γ: chance a drawn verifier or juror colludes")
    args = parser.parse_args(argv)

    params = parse_defaults()
    assumptions = dict(bribe=args.bribe, challenge_rate=args.challenge_rate, collusion=args.collusion)
    if args.stake is not None:
        assumptions["stake"] = args.stake
    cost = args.fee / 2 if args.cost is None else args.cost
    market = Market.from_params(params, fee=args.fee, cost=cost, **assumptions)
    print("parameters (contracts/lib/config.vy defaults()): "
          + ", ".join(f"{name}={value}" for name, value in params.items()) + "\n")
    report(params, market, args.trials, args.seed, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
