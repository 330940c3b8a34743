# pragma version 0.4.3
"""
@title Protocol parameters and their bounds
@notice The core stores the parameters its owner sets. A deployment's owner is the
        Governance contract, which checks every change against the bounds in `check` and
        delays it beyond the unbonding period (contracts/Governance.vy); the core itself
        does not repeat the checks, to stay under the contract size limit.
        docs/protocol.md lists the parameters with the defaults.
"""

from . import owned
from . import types

uses: owned

DAY: constant(uint256) = 86400
MASK16: constant(uint256) = (1 << 16) - 1
MASK24: constant(uint256) = (1 << 24) - 1
MASK32: constant(uint256) = (1 << 32) - 1


struct Params:
    minStake: uint256
    verifyBps: uint256
    verifyWindowBlocks: uint256
    challengeWindow: uint256
    challengeBond: uint256
    jurorCount: uint256
    jurorWindow: uint256
    maxJurorRounds: uint256
    slashBps: uint256
    absentSlashBps: uint256
    timeoutSlashBps: uint256
    protocolFeeBps: uint256
    verifierFeeBps: uint256
    maxDeadline: uint256
    unbondingPeriod: uint256
    maxInputBytes: uint256
    maxCallbackGas: uint256
    maxAttestationValidity: uint256
    # The shortest time a request may leave its node (deadline >= request time + minResponseTime):
    # a node that answers within it is never slashed for a timeout.
    minResponseTime: uint256
    # Wei per gas a requester pays for the callback gas it asks for (and verifiers are paid their
    # gas at): the price the requester accepts by requesting.
    gasPrice: uint256


params: public(Params)
# Every parameter set the core has had, by version (1: the deployment's, never rewritten). A
# result keeps the version in force when it was fulfilled (Fulfilment.paramsVersion): its
# windows, fee split, jury and slashes do not change while it is in flight.
paramsAt: public(HashMap[uint256, Params])
paramsVersion: public(uint256)
# maxInputBytes (bits 0-15) | maxDeadline (bits 16-47) | maxCallbackGas (bits 48-71) |
# minResponseTime (bits 72-103) | callback wei per gas with the fee split added (bits 104-255),
# read by every request from this one slot.
requestLimits: uint256

event ParamsChanged:
    version: indexed(uint256)
    params: Params


@pure
def defaults() -> Params:
    return Params(
        minStake=10**18,
        verifyBps=100,
        verifyWindowBlocks=150,
        challengeWindow=3600,
        challengeBond=10**17,
        jurorCount=3,
        jurorWindow=3600,
        maxJurorRounds=2,
        slashBps=5000,
        absentSlashBps=1000,
        timeoutSlashBps=100,
        protocolFeeBps=500,
        verifierFeeBps=1000,
        maxDeadline=DAY,
        unbondingPeriod=3 * DAY,
        maxInputBytes=4096,
        maxCallbackGas=500000,
        maxAttestationValidity=30 * DAY,
        minResponseTime=120,
        gasPrice=10**9,
    )


@pure
def check(p: Params):
    """@dev Reverts with "params: <name>" when a parameter is out of bounds (used by Governance)."""
    assert p.minStake >= 10**15 and p.minStake <= 10**24, "params: minStake"
    assert p.verifyBps <= 10000, "params: verifyBps"
    assert p.verifyWindowBlocks >= 2 and p.verifyWindowBlocks <= 250, "params: verifyWindowBlocks"
    assert p.challengeWindow >= 60 and p.challengeWindow <= 7 * DAY, "params: challengeWindow"
    assert p.challengeBond >= 10**15 and p.challengeBond <= 10**23, "params: challengeBond"
    assert p.jurorCount >= 1 and p.jurorCount <= types.MAX_JURORS, "params: jurorCount"
    assert p.jurorWindow >= 60 and p.jurorWindow <= 3 * DAY, "params: jurorWindow"
    assert p.maxJurorRounds <= 3, "params: maxJurorRounds"
    assert p.slashBps >= 100 and p.slashBps <= 10000, "params: slashBps"
    assert p.absentSlashBps <= 5000, "params: absentSlashBps"
    assert p.timeoutSlashBps <= 5000, "params: timeoutSlashBps"
    assert p.protocolFeeBps <= 2000, "params: protocolFeeBps"
    assert p.verifierFeeBps <= 5000, "params: verifierFeeBps"
    assert p.protocolFeeBps + p.verifierFeeBps <= 5000, "params: fee split"
    assert p.maxDeadline >= 60 and p.maxDeadline <= 7 * DAY, "params: maxDeadline"
    assert p.unbondingPeriod > p.maxDeadline + p.challengeWindow, "params: unbondingPeriod too short"
    assert p.unbondingPeriod <= 60 * DAY, "params: unbondingPeriod too long"
    assert p.maxInputBytes >= 64 and p.maxInputBytes <= types.MAX_INPUT, "params: maxInputBytes"
    assert p.maxCallbackGas >= 10000 and p.maxCallbackGas <= 2000000, "params: maxCallbackGas"
    assert p.maxAttestationValidity >= 3600 and p.maxAttestationValidity <= 90 * DAY, "params: maxAttestationValidity"
    assert p.minResponseTime >= 12 and p.minResponseTime * 2 <= p.maxDeadline, "params: minResponseTime"
    assert p.gasPrice <= 10**13, "params: gasPrice"


def _store(p: Params):
    self.params = p
    version: uint256 = self.paramsVersion + 1
    self.paramsVersion = version
    self.paramsAt[version] = p
    # the callback's gas is paid net of the protocol's and the verifier's shares of the fee
    gross_price: uint256 = p.gasPrice * 10000 // (10000 - p.protocolFeeBps - p.verifierFeeBps)
    self.requestLimits = p.maxInputBytes | (p.maxDeadline << 16) | (p.maxCallbackGas << 48) | (p.minResponseTime << 72) | (gross_price << 104)
    log ParamsChanged(version=version, params=p)


def set_initial(p: Params):
    self._store(p)


@view
def limits() -> (uint256, uint256, uint256, uint256, uint256):
    """@dev (maxInputBytes, maxDeadline, maxCallbackGas, minResponseTime, callback wei per gas) from one slot."""
    packed: uint256 = self.requestLimits
    return packed & MASK16, (packed >> 16) & MASK32, (packed >> 48) & MASK24, (packed >> 72) & MASK32, packed >> 104


@external
def setParams(p: Params):
    """@notice Replace every parameter (the owner: Governance, which checked the bounds and the delay)."""
    owned.check_owner()
    self._store(p)
