# pragma version 0.4.3
"""
@title Adapter from the registry's verifier interface to an on-chain DCAP verifier
@notice Forwards the raw quote to a verifier with Automata's interface
        `verifyAndAttestOnChain(bytes rawQuote) returns (bool success, bytes output)`
        (about 4-5M gas per quote, or ~0.5M with a ZK proof) and, if it succeeds, accepts
        the quote for `validity` seconds. The registry itself checks REPORTDATA and the
        workload allowlist.
"""

interface DcapVerifier:
    def verifyAndAttestOnChain(rawQuote: Bytes[8192]) -> (bool, Bytes[4096]): view

dcap: public(immutable(DcapVerifier))
validity: public(immutable(uint256))


@deploy
def __init__(dcap_verifier: address, validity_seconds: uint256):
    assert dcap_verifier != empty(address), "dcap: zero verifier"
    assert validity_seconds >= 3600 and validity_seconds <= 90 * 86400, "dcap: validity out of bounds"
    dcap = DcapVerifier(dcap_verifier)
    validity = validity_seconds


@view
@external
def verifyQuote(quoteDigest: bytes32, workloadId: bytes32, reportDataHash: bytes32, quote: Bytes[8192], proof: Bytes[2048]) -> uint64:
    assert keccak256(quote) == quoteDigest, "dcap: digest mismatch"
    ok: bool = False
    output: Bytes[4096] = b""
    ok, output = staticcall dcap.verifyAndAttestOnChain(quote)
    assert ok, "dcap: quote rejected"
    return convert(block.timestamp + validity, uint64)
