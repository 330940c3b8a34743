# pragma version 0.4.3
"""
@title m-of-n attestation committee
@notice Committee members verify a quote fully off chain (Intel signature chain, CRLs,
        TCB info, QE identity) and EIP-712-sign an Acceptance. The registry asks this
        contract whether at least `threshold` distinct members signed.
        proof = abi.encode(uint64 validUntil, bytes signatures), signatures being 65-byte
        r ‖ s ‖ v blocks ordered by strictly increasing signer address.
"""

from .lib import owned
from .lib import typed_sig

initializes: owned

exports: (owned.owner, owned.pendingOwner, owned.transferOwnership, owned.acceptOwnership)

MAX_MEMBERS: constant(uint256) = 16
SIGNATURE_BYTES: constant(uint256) = 65
NAME_HASH: constant(bytes32) = keccak256("CloisterAttestationCommittee")
ACCEPTANCE_TYPEHASH: constant(bytes32) = keccak256("Acceptance(bytes32 quoteDigest,bytes32 workloadId,bytes32 reportDataHash,uint64 validUntil)")

members: public(DynArray[address, MAX_MEMBERS])
isMember: public(HashMap[address, bool])
threshold: public(uint256)

event CommitteeSet:
    members: DynArray[address, MAX_MEMBERS]
    threshold: uint256


@deploy
def __init__(initial_members: DynArray[address, MAX_MEMBERS], initial_threshold: uint256):
    owned.__init__(msg.sender)
    self._set(initial_members, initial_threshold)


def _set(new_members: DynArray[address, MAX_MEMBERS], new_threshold: uint256):
    assert new_threshold >= 1 and new_threshold <= len(new_members), "committee: bad threshold"
    for old: address in self.members:
        self.isMember[old] = False
    for member: address in new_members:
        assert member != empty(address), "committee: zero member"
        assert not self.isMember[member], "committee: duplicate member"
        self.isMember[member] = True
    self.members = new_members
    self.threshold = new_threshold
    log CommitteeSet(members=new_members, threshold=new_threshold)


@external
def setCommittee(new_members: DynArray[address, MAX_MEMBERS], new_threshold: uint256):
    owned.check_owner()
    self._set(new_members, new_threshold)


@view
@external
def acceptanceDigest(quote_digest: bytes32, workload_id: bytes32, report_data_hash: bytes32, valid_until: uint64) -> bytes32:
    """@notice The EIP-712 digest each member signs (domain "CloisterAttestationCommittee", version "1")."""
    return self._digest(quote_digest, workload_id, report_data_hash, valid_until)


@view
def _digest(quote_digest: bytes32, workload_id: bytes32, report_data_hash: bytes32, valid_until: uint64) -> bytes32:
    domain: bytes32 = keccak256(abi_encode(typed_sig.DOMAIN_TYPEHASH, NAME_HASH, typed_sig.COMMITTEE_VERSION_HASH, chain.id, self))
    struct_hash: bytes32 = keccak256(abi_encode(ACCEPTANCE_TYPEHASH, quote_digest, workload_id, report_data_hash, valid_until))
    return keccak256(concat(b"\x19\x01", domain, struct_hash))


@view
@external
def verifyQuote(quoteDigest: bytes32, workloadId: bytes32, reportDataHash: bytes32, quote: Bytes[8192], proof: Bytes[2048]) -> uint64:
    """@return validUntil if `threshold` distinct members signed the Acceptance; reverts otherwise."""
    assert keccak256(quote) == quoteDigest, "committee: digest mismatch"
    valid_until: uint64 = 0
    signatures: Bytes[MAX_MEMBERS * SIGNATURE_BYTES] = b""
    valid_until, signatures = abi_decode(proof, (uint64, Bytes[MAX_MEMBERS * SIGNATURE_BYTES]))
    assert len(signatures) % SIGNATURE_BYTES == 0, "committee: malformed signatures"
    count: uint256 = len(signatures) // SIGNATURE_BYTES
    assert count >= self.threshold, "committee: not enough signatures"
    digest: bytes32 = self._digest(quoteDigest, workloadId, reportDataHash, valid_until)
    previous: uint256 = 0
    for i: uint256 in range(MAX_MEMBERS):
        if i >= count:
            break
        at: uint256 = i * SIGNATURE_BYTES
        r: bytes32 = extract32(signatures, at)
        s: bytes32 = extract32(signatures, at + 32)
        v: uint256 = convert(slice(signatures, at + 64, 1), uint256)
        signer: address = typed_sig.recover(digest, v, r, s)
        assert convert(signer, uint256) > previous, "committee: signers not ascending"
        assert self.isMember[signer], "committee: not a member"
        previous = convert(signer, uint256)
    return valid_until
