"""Issue #7: a cheating node among honest ones, on a local chain, judged from the chain.

One run of the scenario (scripts/devnet/adversary_run.py) for the module: four honest nodes, one
`cloister-adversary` wrong on half of the inputs, one node that goes offline, a colluder that never votes,
15 adversarial requests, then the attackers' moves (timeout farming, a relayer in node 0's mempool, stake
top-ups to steer the cheater's verifier, envelopes with a broken key wrap and proveWrap against the honest
answer, a callback that burns its whole gas cap). Each test asserts one property; the message is the check's own
account of what it saw.
"""
from __future__ import annotations

import re

import pytest

from devnet.adversary_run import Options, run_adversarial
from devnet.binary import adversary_binary

pytestmark = pytest.mark.node_e2e

AMOUNT = r"(-?[0-9.]+ ETH|0)"
LINE = re.compile(rf"^adversarial: (\d+) wrong results, (\d+) disputed, (\d+) won by honest majority, "
                  rf"cheater slashed {AMOUNT}, honest slashed {AMOUNT}, griefing attempts (\d+), "
                  rf"attacker profit {AMOUNT}, draws steered (\d+)$")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    lines = []
    result = run_adversarial(tmp_path_factory.mktemp("adversarial"), Options(requests=15, wrong_share_bps=5000,
                                                                            timeout=120),
                             lines.append, adversary_binary())
    print("\n".join(lines))
    return result


def passed(report, name: str) -> None:
    check = report.check(name)
    assert check.ok, f"{check.name}: {check.detail}"


def test_the_cheater_is_wrong_exactly_on_the_inputs_its_rule_selects(report):
    passed(report, "cheater wrong as predicted")


def test_every_sampled_wrong_result_is_disputed_and_lost(report):
    passed(report, "every sampled wrong result disputed")
    passed(report, "every dispute won by the honest majority")


def test_the_cheater_is_slashed(report):
    passed(report, "cheater slashed")
    assert report.disputed > 0 and report.cheater_slashed > 0


def test_no_honest_node_is_slashed(report):
    passed(report, "no honest node slashed")
    assert report.honest_slashed == 0


def test_requesters_get_the_corrected_output_and_a_refund(report):
    passed(report, "requesters got the corrected output and a refund")
    passed(report, "requesters credited their refunds")


def test_the_offline_node_is_slashed_for_timeouts_and_replaced(report):
    passed(report, "offline node slashed for timeouts and replaced")


def test_every_request_ends_settled_by_the_nodes_corrected_or_refunded(report):
    passed(report, "every request final")
    passed(report, "nodes settled the results themselves")


def test_the_balances_on_chain_are_conserved(report):
    passed(report, "conservation")


def test_the_summary_line(report):
    match = LINE.match(report.line())
    assert match, report.line()
    wrong, disputed, won = (int(match.group(i)) for i in (1, 2, 3))
    assert disputed == won > 0 and wrong >= disputed and match.group(5) == "0", report.line()
    # farming twice, three tampered copies, a front-run, top-ups; two broken envelopes, at least three proveWrap
    # attempts (two against broken wraps, one against a normal answer), an underpaid and a paid gas burner request
    assert int(match.group(6)) == report.griefing >= 14, report.line()
    assert match.group(7) == "0" or match.group(7).startswith("-"), report.line()
    assert match.group(8) == "0", report.line()


def test_timeout_farming_is_refused_or_unprofitable(report):
    passed(report, "timeout farming refused or unprofitable")


def test_a_relayer_cannot_change_a_results_status_or_output(report):
    passed(report, "relayed results cannot be altered")


def test_a_front_run_item_does_not_sink_the_batch(report):
    passed(report, "a front-run batch still lands")


def test_stake_top_ups_after_the_seed_steer_no_verifier(report):
    passed(report, "stake top-ups steer no draw")
    assert report.steered == 0


def test_envelope_griefing_costs_only_the_griefer(report):
    passed(report, "envelope griefing costs only the griefer")


def test_a_gas_burning_callback_is_paid_for_by_its_requester(report):
    passed(report, "callback gas paid by the requester")


def test_absent_jurors_are_slashed_and_disputes_still_resolve(report):
    passed(report, "absent jurors slashed, disputes resolved, cheater unpaid")


def test_the_attackers_do_not_profit(report):
    passed(report, "attackers do not profit")
    assert report.attacker_profit <= 0


def test_the_cheater_is_caught_lying_on_the_embedded_llm(report):
    passed(report, "cheater caught lying on the LLM")
