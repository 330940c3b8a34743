# pragma version 0.4.3
"""
@title Example consumer: ask Cloister to classify a text, keep the label
@notice Copy and adapt. `ask` pays the model fee and returns the request id; the oracle
        calls `cloisterCallback` with the label (status 0) or an error (status != 0).
"""

interface Cloister:
    def request(model: bytes32, input: Bytes[8192], callback: address, callback_gas: uint256, deadline: uint256, output_key: Bytes[65], recipients: DynArray[uint256, 16]) -> bytes32: payable

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


@external
@payable
def ask(question: Bytes[1024], answer_within: uint256) -> bytes32:
    """@param question the model's input, e.g. the text and its candidate labels."""
    request_id: bytes32 = extcall oracle.request(model, question, self, CALLBACK_GAS, block.timestamp + answer_within, b"", [], value=msg.value)
    self.answers[request_id].asker = msg.sender
    log Asked(id=request_id, asker=msg.sender)
    return request_id


@external
def cloisterCallback(requestId: bytes32, status: uint8, output: Bytes[4096]):
    assert msg.sender == oracle.address, "only the oracle"
    assert self.answers[requestId].asker != empty(address), "unknown request"
    self.answers[requestId].answered = True
    self.answers[requestId].status = status
    if status == OK:
        self.answers[requestId].label = output
        self.answers[requestId].error = b""
    else:
        self.answers[requestId].error = output
    log Answered(id=requestId, status=status, label=self.answers[requestId].label)
