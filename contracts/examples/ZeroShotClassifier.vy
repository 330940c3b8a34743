# pragma version 0.4.3
"""
@title Example consumer: ask Cloister to classify a text, keep the label
@notice Copy and adapt. `ask` pays the model fee and returns the request id; the oracle
        calls `cloisterCallback` with the label (status 0) or an error (status != 0).
        If no node answers by the deadline, the asker takes its fee back with `reclaim`:
        the oracle credits refunds to the requesting contract (this one), so the contract
        must claim them (`refund`), pull them (`withdraw`, received by `__default__`) and
        pay them on, or they stay locked in it.
"""

struct Request:
    id: bytes32
    requester: address
    model: bytes32
    inputHash: bytes32
    callback: address
    callbackGas: uint256
    fee: uint256
    deadline: uint256
    node: uint256
    recipientsHash: bytes32

interface Cloister:
    def request(model: bytes32, input: Bytes[8192], callback: address, callback_gas: uint256, deadline: uint256, output_key: Bytes[65], recipients: DynArray[uint256, 16]) -> bytes32: payable
    def refund(req: Request): nonpayable
    def withdraw(): nonpayable
    def credits(account: address) -> uint256: view
    def requests(request_id: bytes32) -> bytes32: view
    def requestFee(model: bytes32, callback_gas: uint256) -> uint256: view

# The oracle's book entry of a request whose fee went back to its requester.
REFUNDED: constant(bytes32) = 0x0000000000000000000000000000000000000000000000000000000000000002

struct Answer:
    asker: address
    answered: bool
    status: uint8
    label: Bytes[4096]
    error: Bytes[4096]

CALLBACK_GAS: constant(uint256) = 300000
OK: constant(uint8) = 0

oracle: public(immutable(Cloister))
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
    oracle = Cloister(cloister)
    model = classifier_model


@view
@external
def fee() -> uint256:
    """@notice What `ask` must be paid: the model fee plus the callback's gas at the oracle's gas price."""
    return staticcall oracle.requestFee(model, CALLBACK_GAS)


@external
@payable
def ask(question: Bytes[1024], answer_within: uint256) -> bytes32:
    """@param question the model's input, e.g. the text and its candidate labels."""
    request_id: bytes32 = extcall oracle.request(model, question, self, CALLBACK_GAS, block.timestamp + answer_within, b"", [], value=msg.value)
    self.answers[request_id].asker = msg.sender
    self.fees[request_id] = msg.value
    log Asked(id=request_id, asker=msg.sender)
    return request_id


@external
def cloisterCallback(requestId: bytes32, status: uint8, output: Bytes[4096]):
    assert msg.sender == oracle.address, "only the oracle"
    assert self.answers[requestId].asker != empty(address), "unknown request"
    self.answers[requestId].answered = True
    self.fees[requestId] = 0
    self.answers[requestId].status = status
    if status == OK:
        self.answers[requestId].label = output
        self.answers[requestId].error = b""
    else:
        self.answers[requestId].error = output
    log Answered(id=requestId, status=status, label=self.answers[requestId].label)


@external
@nonreentrant
def reclaim(req: Request):
    """
    @notice After the deadline of a request nobody answered (or whose dispute found no majority):
            take the fee back from the oracle and pay it to the asker. `req` is the request as
            in its Requested event; anyone may have called the oracle's `refund` already.
    """
    fee: uint256 = self.fees[req.id]
    assert fee > 0, "nothing to reclaim"
    assert self.answers[req.id].asker == msg.sender, "not the asker"
    self.fees[req.id] = 0
    if staticcall oracle.requests(req.id) != REFUNDED:
        extcall oracle.refund(req)  # reverts before the deadline or if the request was answered
    if staticcall oracle.credits(self) > 0:
        extcall oracle.withdraw()
    send(msg.sender, fee)


@external
@payable
def __default__():
    assert msg.sender == oracle.address, "only the oracle pays in"
