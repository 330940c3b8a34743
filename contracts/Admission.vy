# pragma version 0.4.3
"""
@title Admission: the attestation checks a node's enclave key must pass
@notice Reads the quote at fixed offsets (TDX v4 / SGX v3), requires the workload id on the
        allowlist and REPORTDATA = signer (20 bytes) ‖ keccak256(extData) (32 bytes) ‖ 12 zero
        bytes with extData = abi.encode(uint256 chainId, address registry, address operator,
        bytes32 softwareVersion, uint64 expiry), where `registry` is the calling Cloister contract (or,
        in the view `admitFor`, the one named)
        and `operator` the node's operator account (a quote cannot be reused by another operator), and asks the pluggable
        attestation verifier (m-of-n committee or on-chain DCAP adapter) whether the quote is genuine.
"""

from .interfaces import IAttestationVerifier
from .lib import owned
from .lib import quote

initializes: owned

exports: (owned.owner, owned.pendingOwner, owned.transferOwnership, owned.acceptOwnership)

MAX_PROOF: constant(uint256) = 2048

workloadAllowed: public(HashMap[bytes32, bool])
attestationVerifier: public(IAttestationVerifier)

event WorkloadSet:
    workloadId: indexed(bytes32)
    allowed: bool

event AttestationVerifierSet:
    verifier: indexed(address)


@deploy
def __init__(verifier: address):
    owned.__init__(msg.sender)
    self._set_verifier(verifier)


@pure
@external
def extDataHash(chain_id: uint256, registry: address, operator: address, software_version: bytes32, expiry: uint256) -> bytes32:
    """@notice keccak256(abi.encode(uint256 chainId, address registry, address operator, bytes32 softwareVersion, uint64 expiry))."""
    return keccak256(abi_encode(chain_id, registry, operator, software_version, convert(expiry, uint64)))


@view
@external
def admit(public_key: Bytes[64], raw_quote: Bytes[quote.MAX_QUOTE], operator: address, software_version: bytes32, expiry: uint256, max_validity: uint256, proof: Bytes[MAX_PROOF]) -> (address, bytes32, bytes32, uint256):
    """
    @notice Checks an attestation for the calling registry.
    @return (signer, quoteDigest, workloadId, validUntil) where validUntil = min(expiry, verifier's validity)
    """
    return self._admit(msg.sender, public_key, raw_quote, operator, software_version, expiry, max_validity, proof)


@view
@external
def admitFor(registry: address, public_key: Bytes[64], raw_quote: Bytes[quote.MAX_QUOTE], operator: address, software_version: bytes32, expiry: uint256, max_validity: uint256, proof: Bytes[MAX_PROOF]) -> (address, bytes32, bytes32, uint256):
    """
    @notice Exactly `admit` with `registry` in place of the caller: whether the attestation would
            be admitted by that registry (the model vault checks an enclave's quote for the core).
    @return (signer, quoteDigest, workloadId, validUntil) as `admit`
    """
    return self._admit(registry, public_key, raw_quote, operator, software_version, expiry, max_validity, proof)


@view
def _admit(registry: address, public_key: Bytes[64], raw_quote: Bytes[quote.MAX_QUOTE], operator: address, software_version: bytes32, expiry: uint256, max_validity: uint256, proof: Bytes[MAX_PROOF]) -> (address, bytes32, bytes32, uint256):
    assert len(public_key) == 64, "admission: public key must be 64 bytes"
    signer: address = convert(convert(slice(keccak256(public_key), 12, 20), bytes20), address)
    workload: bytes32 = empty(bytes32)
    report_data: Bytes[64] = b""
    workload, report_data = quote.parse(raw_quote)
    assert self.workloadAllowed[workload], "admission: workload not allowed"
    assert expiry > block.timestamp, "admission: attestation expired"
    assert expiry <= block.timestamp + max_validity, "admission: expiry too far"
    ext_hash: bytes32 = keccak256(abi_encode(chain.id, registry, operator, software_version, convert(expiry, uint64)))
    expected: Bytes[64] = concat(convert(signer, bytes20), ext_hash, empty(bytes12))
    assert keccak256(report_data) == keccak256(expected), "admission: REPORTDATA does not bind signer"
    digest: bytes32 = keccak256(raw_quote)
    valid_until: uint256 = convert(staticcall self.attestationVerifier.verifyQuote(digest, workload, keccak256(report_data), raw_quote, proof), uint256)
    assert valid_until > block.timestamp, "admission: verifier rejected quote"
    return signer, digest, workload, min(expiry, valid_until)


@external
def setWorkload(workload_id: bytes32, allowed: bool):
    owned.check_owner()
    self.workloadAllowed[workload_id] = allowed
    log WorkloadSet(workloadId=workload_id, allowed=allowed)


def _set_verifier(verifier: address):
    assert verifier != empty(address), "admission: zero verifier"
    self.attestationVerifier = IAttestationVerifier(verifier)
    log AttestationVerifierSet(verifier=verifier)


@external
def setAttestationVerifier(verifier: address):
    owned.check_owner()
    self._set_verifier(verifier)
