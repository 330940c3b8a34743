# pragma version 0.4.3
"""
@title Ledger of every wei the contract holds
@notice Conservation: self.balance == totalStake + escrowed + bonds + totalCredits + protocolFees + disputePool + burned
        (disputePool is zero between transactions). `burned` holds timeout slashes: nobody can
        withdraw it, so no requester, node or owner profits from a timeout it could cause.
        Payments are pull-based: operations credit an address and `withdraw` pays it out.
"""

credits: public(HashMap[address, uint256])
totalCredits: public(uint256)
totalStake: public(uint256)
# Escrowed wei (low 192 bits) and the request counter (high 64 bits) share one slot, so a
# request updates both with a single storage write.
_escrowAndCount: uint256
COUNT_SHIFT: constant(uint256) = 192
ESCROW_MASK: constant(uint256) = (1 << 192) - 1
bonds: public(uint256)
protocolFees: public(uint256)
# Slashed stake, released escrow and forfeited bonds the arbiter is distributing in the current call.
disputePool: public(uint256)
# Timeout slashes, locked in the contract for good.
burned: public(uint256)

event Credited:
    account: indexed(address)
    amount: uint256
    reason: uint256

event Withdrawn:
    account: indexed(address)
    amount: uint256

# Reasons carried by `Credited`.
REASON_FEE: constant(uint256) = 1
REASON_VERIFIER_FEE: constant(uint256) = 2
REASON_REFUND: constant(uint256) = 3
REASON_SLASH_SHARE: constant(uint256) = 4
REASON_BOND_RETURN: constant(uint256) = 5
REASON_STAKE_RETURN: constant(uint256) = 6


def credit(account: address, amount: uint256, reason: uint256):
    if amount == 0:
        return
    self.credits[account] += amount
    self.totalCredits += amount
    log Credited(account=account, amount=amount, reason=reason)


def open_escrow(amount: uint256) -> uint256:
    """@dev Adds `amount` to the escrow and returns the request nonce it consumed."""
    packed: uint256 = self._escrowAndCount
    escrow: uint256 = (packed & ESCROW_MASK) + amount
    assert escrow <= ESCROW_MASK, "ledger: escrow overflow"
    nonce: uint256 = packed >> COUNT_SHIFT
    self._escrowAndCount = ((nonce + 1) << COUNT_SHIFT) | escrow
    return nonce


def release_escrow(amount: uint256):
    packed: uint256 = self._escrowAndCount
    assert packed & ESCROW_MASK >= amount, "ledger: escrow underflow"
    self._escrowAndCount = packed - amount


@view
@external
def escrowed() -> uint256:
    return self._escrowAndCount & ESCROW_MASK


@view
@external
def requestCount() -> uint256:
    return self._escrowAndCount >> COUNT_SHIFT


def pay_out(account: address):
    amount: uint256 = self.credits[account]
    assert amount > 0, "ledger: nothing to withdraw"
    self.credits[account] = 0
    self.totalCredits -= amount
    log Withdrawn(account=account, amount=amount)
    raw_call(account, b"", value=amount)


@view
@external
def accounted() -> uint256:
    """@notice The sum the contract's balance must equal (invariant 1)."""
    return self.totalStake + (self._escrowAndCount & ESCROW_MASK) + self.bonds + self.totalCredits + self.protocolFees + self.disputePool + self.burned
