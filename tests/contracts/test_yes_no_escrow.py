"""The example consumer that acts on an LLM answer (contracts/examples/YesNoEscrow.vy), against the real
contracts: the escrow goes to the payee only on a well-formed "yes" by the margin, to the depositor on
anything else, and none of the parties — nor a node posting garbage — can take it or lock it."""
from __future__ import annotations

import boa
import eth_abi
import pytest
from eth_utils import keccak

import cloister_kit as K

SCORE = keccak(b"test/llm-score")
MARGIN = 500_000  # "yes" must lead "no" by 0.5 nats
DEPOSIT = 3 * K.ETHER


def scores(yes: int, no: int) -> bytes:
    return eth_abi.encode(["uint256", "int256[]"], [0 if yes >= no else 1, [yes, no]])


@pytest.fixture
def escrow(world):
    world.core.setModel(SCORE, K.MODEL_FEE, True, True)
    node = world.register(models=[K.MODEL, SCORE])
    contract = K.factory("examples/YesNoEscrow.vy").deploy(world.core.address, SCORE, MARGIN)
    depositor, payee = boa.env.generate_address(), boa.env.generate_address()
    world.fund(depositor, 10 * K.ETHER)
    return world, node, contract, depositor, payee


def open_escrow(world, contract, depositor, payee, question="Does the note say the parcel was handed over? Yes, signed by J."):
    with boa.env.prank(depositor):
        rid = contract.open(question, payee, 600, value=contract.fee() + DEPOSIT)
    event = [e for e in world.core.get_logs(computation=contract._computation, strict=False) if type(e).__name__ == "Requested"][-1]
    assert event.input == eth_abi.encode(["string", "string[]"], [question, ["yes", "no"]]), "the score task's canonical input"
    req = (event.id, event.requester, event.model, keccak(event.input), event.callback, event.callbackGas,
           event.fee, event.deadline, event.node, K.ZERO32)
    return rid, req


def withdrawn(contract, account) -> int:
    before = boa.env.get_balance(account)
    with boa.env.prank(account):
        contract.withdraw()
    return boa.env.get_balance(account) - before


@pytest.mark.parametrize("status, output, payee_wins", [
    (0, scores(-100_000, -2_000_000), True),            # yes by 1.9 nats
    (0, scores(-1_000_000, -1_400_000), False),         # yes, but by less than the margin
    (0, scores(-3_000_000, -200_000), False),           # no
    (4, b"the model server's answer was refused", False),  # an error result
    (0, b"\x01" * 7, False),                            # garbage from a cheating node: must not lock the deposit
    (0, eth_abi.encode(["uint256", "int256[]"], [0, [9, 1, 1]]), False),  # three scores: not the yes/no question
])
def test_the_deposit_goes_to_the_payee_only_on_a_clear_yes(escrow, status, output, payee_wins):
    world, node, contract, depositor, payee = escrow
    rid, req = open_escrow(world, contract, depositor, payee)
    world.fulfil(req, world.sign_result(node, req, output=output, status=status))
    state = contract.escrows(rid)
    assert state.decided and state.released == payee_wins
    winner, loser = (payee, depositor) if payee_wins else (depositor, payee)
    assert contract.owed(winner) == DEPOSIT and contract.owed(loser) == 0
    assert withdrawn(contract, winner) == DEPOSIT
    with boa.env.prank(winner), boa.reverts("nothing owed"):
        contract.withdraw()  # not twice
    with boa.env.prank(depositor), boa.reverts("already decided"):
        contract.reclaim(req)  # the loser cannot take it back by reclaiming
    assert world.accounted_ok()


def test_only_the_oracle_decides_and_only_once(escrow):
    world, node, contract, depositor, payee = escrow
    rid, req = open_escrow(world, contract, depositor, payee)
    with boa.env.prank(payee), boa.reverts("cloister: caller is not the core"):
        contract.cloisterCallback(rid, 0, scores(0, -9_000_000))
    with boa.env.prank(world.core.address), boa.reverts("unknown request"):
        contract.cloisterCallback(keccak(b"another"), 0, scores(0, -9_000_000))
    world.fulfil(req, world.sign_result(node, req, output=scores(-3_000_000, 0)))
    with boa.env.prank(world.core.address), boa.reverts("already decided"):
        contract.cloisterCallback(rid, 0, scores(0, -9_000_000))
    assert contract.owed(payee) == 0 and contract.owed(depositor) == DEPOSIT


def test_an_unanswered_question_gives_the_depositor_deposit_and_fee_back(escrow):
    world, node, contract, depositor, payee = escrow
    rid, req = open_escrow(world, contract, depositor, payee)
    fee = contract.escrows(rid).fee
    with boa.env.prank(depositor), boa.reverts():
        contract.reclaim(req)  # before the deadline the core refuses the refund
    boa.env.time_travel(seconds=601)
    with boa.env.prank(payee), boa.reverts("not the depositor"):
        contract.reclaim(req)
    before = boa.env.get_balance(depositor)
    with boa.env.prank(depositor):
        contract.reclaim(req)
    assert boa.env.get_balance(depositor) - before == DEPOSIT + fee
    with boa.env.prank(depositor), boa.reverts("already decided"):
        contract.reclaim(req)
    assert boa.env.get_balance(contract.address) == 0 and world.accounted_ok()


def test_opening_needs_a_deposit_and_a_payee(escrow):
    world, node, contract, depositor, payee = escrow
    with boa.env.prank(depositor):
        with boa.reverts("open: pay fee() and a deposit"):
            contract.open("q", payee, 600, value=contract.fee())
        with boa.reverts("open: no payee"):
            contract.open("q", "0x" + "00" * 20, 600, value=contract.fee() + 1)
