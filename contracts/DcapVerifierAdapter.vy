# pragma version 0.4.3
"""
@title Adapter from the registry's verifier interface to Automata's on-chain DCAP verifier
@notice Forwards the raw quote to `verifyAndAttestOnChain(bytes rawQuote) returns (bool success,
        bytes output)` (about 4-5M gas per quote) and accepts the quote for `validity` seconds if it
        succeeds and the TCB status it reports is in `tcbPolicy`. Automata's deployed entry point
        (AutomataDcapAttestationFee) is payable and may charge a share of the verification's gas
        (`getBp()` basis points); the registry asks its verifier in a static call, which carries no
        value, so this adapter works only with a fee of zero and says so when it is not. The output
        is Automata's serialization: uint16 quoteVersion ‖ uint16 quoteBodyType ‖ uint8 tcbStatus ‖
        bytes6 fmspc ‖ quote body. TCB status codes: 0 UpToDate, 1 SWHardeningNeeded,
        2 ConfigurationAndSWHardeningNeeded, 3 ConfigurationNeeded, 4 OutOfDate,
        5 OutOfDateConfigurationNeeded, 6 Revoked, 7 Unrecognized. The policy is fixed at deployment:
        changing it means deploying another adapter and switching to it through Governance (delayed).
        The registry itself checks REPORTDATA, the debug flag and the workload allowlist.
"""

interface DcapVerifier:
    def verifyAndAttestOnChain(rawQuote: Bytes[8192]) -> (bool, Bytes[8192]): view
    def getBp() -> uint16: view

TCB_STATUS_OFFSET: constant(uint256) = 4

dcap: public(immutable(DcapVerifier))
validity: public(immutable(uint256))
# Bit s set: TCB status s is accepted.
tcbPolicy: public(immutable(uint256))


@deploy
def __init__(dcap_verifier: address, validity_seconds: uint256, accepted_tcb_statuses: uint256):
    assert dcap_verifier != empty(address), "dcap: zero verifier"
    assert validity_seconds >= 3600 and validity_seconds <= 90 * 86400, "dcap: validity out of bounds"
    assert accepted_tcb_statuses != 0 and accepted_tcb_statuses < 64, "dcap: policy accepts nothing, or Revoked/Unrecognized"
    dcap = DcapVerifier(dcap_verifier)
    validity = validity_seconds
    tcbPolicy = accepted_tcb_statuses


@view
@external
def verifyQuote(quoteDigest: bytes32, workloadId: bytes32, reportDataHash: bytes32, quote: Bytes[8192], proof: Bytes[2048]) -> uint64:
    assert keccak256(quote) == quoteDigest, "dcap: digest mismatch"
    assert staticcall dcap.getBp() == 0, "dcap: the verifier charges a fee; the registry cannot pay it"
    ok: bool = False
    output: Bytes[8192] = b""
    ok, output = staticcall dcap.verifyAndAttestOnChain(quote)
    assert ok and len(output) > TCB_STATUS_OFFSET, "dcap: quote rejected"
    status: uint256 = convert(slice(output, TCB_STATUS_OFFSET, 1), uint256)
    assert (1 << status) & tcbPolicy != 0, "dcap: TCB status not accepted"
    return convert(block.timestamp + validity, uint64)
