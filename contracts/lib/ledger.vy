# pragma version 0.4.3
"""
@title Ledger of every wei the contract holds
@notice Conservation: self.balance == totalStake + escrowed + bonds + totalCredits + protocolFees + disputePool
        (disputePool is zero between transactions).
        Payments are pull-based: operations credit an address and `withdraw` pays it out.
"""

credits: public(HashMap[address, uint256])
totalCredits: public(uint256)
totalStake: public(uint256)
escrowed: public(uint256)
bonds: public(uint256)
protocolFees: public(uint256)
# Slashed stake, released escrow and forfeited bonds the arbiter is distributing in the current call.
disputePool: public(uint256)

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


def release_escrow(amount: uint256):
    self.escrowed -= amount


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
    return self.totalStake + self.escrowed + self.bonds + self.totalCredits + self.protocolFees + self.disputePool
