# pragma version 0.4.3
"""A consumer built on the kit that uses every helper, for tests/contracts/test_consumer_kits.py."""

from contracts.kits import cloister_consumer
from contracts.interfaces import ICloister

initializes: cloister_consumer

exports: (cloister_consumer.__default__, cloister_consumer.CLOISTER)

GAS: constant(uint256) = 500000

embedding: public(Bytes[384])
similarity: public(int256)
best: public(uint256)
scores: public(DynArray[int256, 16])
lastStatus: public(uint8)
lastError: public(Bytes[4096])
calls: public(uint256)
withdrawn: public(uint256)


@deploy
def __init__(core: address):
    cloister_consumer.__init__(core)


@view
@external
def fee(model: bytes32) -> uint256:
    return cloister_consumer.fee(model, GAS)


@payable
@external
def askEmbed(model: bytes32, text: String[1024]) -> bytes32:
    return cloister_consumer.request_embed(model, text, GAS, 600)


@payable
@external
def askSimilarity(model: bytes32, a: String[1024], b: String[1024]) -> bytes32:
    return cloister_consumer.request_similarity(model, a, b, GAS, 600)


@payable
@external
def askClassify(model: bytes32, text: String[1024], labels: DynArray[String[64], 16]) -> bytes32:
    return cloister_consumer.request_classify(model, text, labels, GAS, 600)


@external
def cloisterCallback(requestId: bytes32, status: uint8, output: Bytes[4096]):
    cloister_consumer.only_cloister()
    self.calls += 1
    self.lastStatus = status
    if status != cloister_consumer.STATUS_OK:
        self.lastError = output
        return
    if len(output) == 32:
        self.similarity = cloister_consumer.decode_similarity(output)
    elif len(output) == 448:
        self.embedding = cloister_consumer.decode_embedding(output)
    else:
        self.best, self.scores = cloister_consumer.decode_classify(output)


@external
def reclaim(req: ICloister.Request):
    cloister_consumer.claim_refund(req)
    self.withdrawn += cloister_consumer.withdraw()
