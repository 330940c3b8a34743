# pragma version 0.4.3
"""
@title Example consumer that acts on an LLM's answer: an escrow released by a yes/no question
@notice Copy and adapt. A depositor locks ETH for a payee with a question for the embedded LLM
        (for instance "Does this delivery note say the parcel was handed over? <note>").
        The LLM's `score` task rates the answers "yes" and "no" (abi.encode(string prompt,
        string[] completions) in, abi.encode(uint256 best, int256[] scores) out: the scores are
        log-probabilities · 10^6). On "yes" by at least `margin` the payee is owed the deposit;
        on anything else — "no", a narrower margin, an error result — the depositor is. Nothing
        is sent from the callback: the winner withdraws (`withdraw`), so a payee that cannot
        receive ETH cannot make the oracle's callback fail. If no node answers by the deadline,
        the depositor takes the deposit and the fee back with `reclaim`.
"""

from ..kits import cloister_consumer
from ..interfaces import ICloister

initializes: cloister_consumer

exports: (cloister_consumer.__default__, cloister_consumer.CLOISTER)

struct Escrow:
    depositor: address
    payee: address
    amount: uint256
    fee: uint256
    decided: bool
    released: bool  # true when the payee won
    margin: int256  # what the answer's "yes" score was above "no" (log-probability · 10^6)

CALLBACK_GAS: constant(uint256) = 200000

oracle: public(immutable(address))
model: public(immutable(bytes32))
# How far "yes" must score above "no" (log-probability · 10^6) to release the deposit.
margin: public(immutable(int256))
escrows: public(HashMap[bytes32, Escrow])
owed: public(HashMap[address, uint256])

event Opened:
    id: indexed(bytes32)
    depositor: indexed(address)
    payee: indexed(address)
    amount: uint256

event Decided:
    id: indexed(bytes32)
    released: bool
    status: uint8
    margin: int256


@deploy
def __init__(cloister: address, score_model: bytes32, yes_margin: int256):
    cloister_consumer.__init__(cloister)
    oracle = cloister
    model = score_model
    margin = yes_margin


@view
@external
def fee() -> uint256:
    """@notice What `open` takes on top of the deposit: the model fee and the callback's gas."""
    return cloister_consumer.fee(model, CALLBACK_GAS)


@external
@payable
@nonreentrant
def open(question: String[1024], payee: address, answer_within: uint256) -> bytes32:
    """@notice Locks `msg.value - fee()` for `payee` until the LLM answers `question` with yes or no."""
    paid: uint256 = cloister_consumer.fee(model, CALLBACK_GAS)
    assert msg.value > paid, "open: pay fee() and a deposit"
    assert payee != empty(address), "open: no payee"
    request_id: bytes32 = cloister_consumer.request_classify(model, question, ["yes", "no"], CALLBACK_GAS, answer_within)
    self.escrows[request_id] = Escrow(depositor=msg.sender, payee=payee, amount=msg.value - paid, fee=paid,
                                      decided=False, released=False, margin=0)
    log Opened(id=request_id, depositor=msg.sender, payee=payee, amount=msg.value - paid)
    return request_id


@external
def cloisterCallback(requestId: bytes32, status: uint8, output: Bytes[4096]):
    cloister_consumer.only_cloister()
    escrow: Escrow = self.escrows[requestId]
    assert escrow.depositor != empty(address), "unknown request"
    assert not escrow.decided, "already decided"
    # Read without abi_decode, which would revert on bytes of another shape and leave the deposit stuck
    # (an answered request cannot be refunded): only the exact two-score output can release it.
    lead: int256 = 0
    well_formed: bool = status == cloister_consumer.STATUS_OK and len(output) == 160 \
        and convert(slice(output, 32, 32), uint256) == 64 and convert(slice(output, 64, 32), uint256) == 2
    if well_formed:
        lead = convert(slice(output, 96, 32), int256) - convert(slice(output, 128, 32), int256)
    released: bool = well_formed and lead >= margin
    self.escrows[requestId].decided = True
    self.escrows[requestId].released = released
    self.escrows[requestId].margin = lead
    self.escrows[requestId].fee = 0
    winner: address = escrow.payee if released else escrow.depositor
    self.owed[winner] += escrow.amount
    log Decided(id=requestId, released=released, status=status, margin=lead)


@external
@nonreentrant
def withdraw():
    """@notice Pays the caller what decided escrows owe it."""
    amount: uint256 = self.owed[msg.sender]
    assert amount > 0, "nothing owed"
    self.owed[msg.sender] = 0
    send(msg.sender, amount)


@external
@nonreentrant
def reclaim(req: ICloister.Request):
    """
    @notice After the deadline of a request nobody answered: the depositor takes the deposit and the
            fee back. `req` is the request as in its Requested event.
    """
    escrow: Escrow = self.escrows[req.id]
    assert escrow.depositor == msg.sender, "not the depositor"
    assert not escrow.decided, "already decided"
    self.escrows[req.id].decided = True
    self.escrows[req.id].fee = 0
    cloister_consumer.claim_refund(req)  # reverts before the deadline or if the request was answered
    cloister_consumer.withdraw()
    send(msg.sender, escrow.amount + escrow.fee)
