# pragma version 0.4.3
"""
@title Example consumer: ask Cloister to classify a text, keep the answer
@notice Copy and adapt. Built on the consumer kit (`contracts/kits/cloister_consumer.vy`).
        `askLabels` (or `ask`, with the input already encoded) takes at least `fee()`, pays the
        request's fee and returns the request id (any surplus goes back to the asker at once);
        Cloister calls `cloisterCallback` with the answer (status 0) or an error (status != 0).
        If no node answers by the deadline, the asker takes its fee back with `reclaim`: Cloister
        credits refunds to the requesting contract (this one), so the contract claims them
        (`refund`), pulls them (`withdraw`, received by the kit's `__default__`) and pays them on.
"""

from ..kits import cloister_consumer
from ..interfaces import ICloister

initializes: cloister_consumer

exports: (cloister_consumer.__default__, cloister_consumer.CLOISTER)

struct Answer:
    asker: address
    answered: bool
    status: uint8
    # The output as posted: abi.encode(uint256 best, int256[] scores) for status 0 (`best` decodes it).
    label: Bytes[4096]
    error: Bytes[4096]

CALLBACK_GAS: constant(uint256) = 300000

oracle: public(immutable(address))
model: public(immutable(bytes32))
answers: public(HashMap[bytes32, Answer])
# Fee paid for each request still open to a refund (0 once answered or reclaimed).
fees: public(HashMap[bytes32, uint256])

event Asked:
    id: indexed(bytes32)
    asker: indexed(address)

event Answered:
    id: indexed(bytes32)
    status: uint8
    label: Bytes[4096]


@deploy
def __init__(cloister: address, classifier_model: bytes32):
    cloister_consumer.__init__(cloister)
    oracle = cloister
    model = classifier_model


@view
@external
def fee() -> uint256:
    """@notice What `ask` must be paid at least: the model fee plus the callback's gas at the oracle's gas price."""
    return cloister_consumer.fee(model, CALLBACK_GAS)


@internal
def _asked(request_id: bytes32, paid: uint256, received: uint256):
    self.answers[request_id].asker = msg.sender
    self.fees[request_id] = paid
    log Asked(id=request_id, asker=msg.sender)
    if received > paid:
        send(msg.sender, received - paid)


@external
@payable
@nonreentrant
def ask(question: Bytes[1024], answer_within: uint256) -> bytes32:
    """@param question the model's input, abi.encode(string text, string[] labels)."""
    paid: uint256 = cloister_consumer.fee(model, CALLBACK_GAS)
    assert msg.value >= paid, "ask: pay at least fee()"
    request_id: bytes32 = cloister_consumer.request_bytes(model, question, CALLBACK_GAS, answer_within)
    self._asked(request_id, paid, msg.value)
    return request_id


@external
@payable
@nonreentrant
def askLabels(text: String[1024], labels: DynArray[String[64], 16], answer_within: uint256) -> bytes32:
    """@notice Which of `labels` fits `text` best; the kit encodes the question."""
    paid: uint256 = cloister_consumer.fee(model, CALLBACK_GAS)
    assert msg.value >= paid, "ask: pay at least fee()"
    request_id: bytes32 = cloister_consumer.request_classify(model, text, labels, CALLBACK_GAS, answer_within)
    self._asked(request_id, paid, msg.value)
    return request_id


@external
def cloisterCallback(requestId: bytes32, status: uint8, output: Bytes[4096]):
    cloister_consumer.only_cloister()
    assert self.answers[requestId].asker != empty(address), "unknown request"
    self.answers[requestId].answered = True
    self.fees[requestId] = 0
    self.answers[requestId].status = status
    if status == cloister_consumer.STATUS_OK:
        self.answers[requestId].label = output
        self.answers[requestId].error = b""
    else:
        self.answers[requestId].error = output
    log Answered(id=requestId, status=status, label=self.answers[requestId].label)


@view
@external
def best(requestId: bytes32) -> uint256:
    """@notice The index of the best label of an answered question (reverts if there is no answer)."""
    assert self.answers[requestId].answered and self.answers[requestId].status == cloister_consumer.STATUS_OK, "no answer"
    index: uint256 = 0
    scores: DynArray[int256, 16] = []
    index, scores = cloister_consumer.decode_classify(self.answers[requestId].label)
    return index


@external
@nonreentrant
def reclaim(req: ICloister.Request):
    """
    @notice After the deadline of a request nobody answered (or whose dispute found no majority):
            take the fee back from the oracle and pay it to the asker. `req` is the request as in
            its Requested event; anyone may have called the oracle's `refund` already.
    """
    fee: uint256 = self.fees[req.id]
    assert fee > 0, "nothing to reclaim"
    assert self.answers[req.id].asker == msg.sender, "not the asker"
    self.fees[req.id] = 0
    cloister_consumer.claim_refund(req)  # reverts before the deadline or if the request was answered
    cloister_consumer.withdraw()
    send(msg.sender, fee)
