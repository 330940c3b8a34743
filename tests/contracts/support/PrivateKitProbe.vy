# pragma version 0.4.3
"""A consumer of private models built on the kit, for tests/contracts/test_private_consumer.py: it asks
through the model vault (its own privacy budget is charged), keeps the answers of the requests it made and
ignores results for ids it never asked, and brings refunds of private requests back to itself."""

from contracts.kits import cloister_consumer
from contracts.interfaces import ICloister

initializes: cloister_consumer

exports: (cloister_consumer.__default__, cloister_consumer.CLOISTER, cloister_consumer.VAULT)

GAS: constant(uint256) = 300000

asked: public(HashMap[bytes32, bool])
similarity: public(HashMap[bytes32, int256])
answered: public(HashMap[bytes32, bool])
lastStatus: public(uint8)
calls: public(uint256)
ignored: public(uint256)
refunded: public(uint256)


@deploy
def __init__(core: address, vault: address):
    cloister_consumer.__init__(core)
    if vault != empty(address):
        cloister_consumer.use_vault(vault)


@external
def setVault(vault: address):
    """Test only: use_vault after deployment (a real consumer calls it in __init__)."""
    cloister_consumer.use_vault(vault)


@view
@external
def fee(model: bytes32) -> uint256:
    return cloister_consumer.fee(model, GAS)


@view
@external
def budget(model: bytes32) -> uint256:
    return cloister_consumer.remaining_budget(model)


@payable
@external
def askPrivate(model: bytes32, a: String[1024], b: String[1024]) -> bytes32:
    rid: bytes32 = cloister_consumer.request_private_similarity(model, a, b, GAS, 600)
    self.asked[rid] = True
    return rid


@payable
@external
def askPublic(model: bytes32, a: String[1024], b: String[1024]) -> bytes32:
    rid: bytes32 = cloister_consumer.request_similarity(model, a, b, GAS, 600)
    self.asked[rid] = True
    return rid


@external
def cloisterCallback(requestId: bytes32, status: uint8, output: Bytes[4096]):
    cloister_consumer.only_cloister()
    if not self.asked[requestId]:  # someone else's request naming this contract as its callback
        self.ignored += 1
        return
    self.calls += 1
    self.lastStatus = status
    if status == cloister_consumer.STATUS_OK:
        self.similarity[requestId] = cloister_consumer.decode_similarity(output)
        self.answered[requestId] = True


@external
def reclaimPrivate(req: ICloister.Request) -> uint256:
    amount: uint256 = cloister_consumer.claim_private_refund(req)
    self.refunded += amount
    return amount
