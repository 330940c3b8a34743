# pragma version 0.4.3
"""
@title Two-step ownership and pause switch
@notice The owner sets bounded parameters, models, the workload allowlist and the
        attestation verifier, and can pause new requests. It never moves escrow.
"""

owner: public(address)
pendingOwner: public(address)
paused: public(bool)

event OwnershipTransferStarted:
    previousOwner: indexed(address)
    newOwner: indexed(address)

event OwnershipTransferred:
    previousOwner: indexed(address)
    newOwner: indexed(address)

event Paused:
    paused: bool


@deploy
def __init__(initial_owner: address):
    assert initial_owner != empty(address), "owned: zero owner"
    self.owner = initial_owner
    log OwnershipTransferred(previousOwner=empty(address), newOwner=initial_owner)


def check_owner():
    assert msg.sender == self.owner, "owned: not owner"


def check_not_paused():
    assert not self.paused, "owned: paused"


@external
def transferOwnership(new_owner: address):
    """@notice Start a transfer; `new_owner` must call acceptOwnership."""
    self.check_owner()
    self.pendingOwner = new_owner
    log OwnershipTransferStarted(previousOwner=self.owner, newOwner=new_owner)


@external
def acceptOwnership():
    assert msg.sender == self.pendingOwner, "owned: not pending owner"
    previous: address = self.owner
    self.owner = msg.sender
    self.pendingOwner = empty(address)
    log OwnershipTransferred(previousOwner=previous, newOwner=msg.sender)


@external
def setPaused(is_paused: bool):
    """@notice Pause or resume new requests (fulfilment, settlement and refunds continue)."""
    self.check_owner()
    self.paused = is_paused
    log Paused(paused=is_paused)
