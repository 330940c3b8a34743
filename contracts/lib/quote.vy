# pragma version 0.4.3
"""
@title Fixed-offset reading of Intel TDX v4 and SGX v3 quotes
@notice Only the fields the registry binds are read: REPORTDATA, the debug flag and
        everything that fixes the software and its configuration, which forms the
        workload id. A debug TD or enclave (whose memory its host can read) is refused
        here, whatever the attestation verifier says. Whether the quote is genuine is
        the attestation verifier's decision.
"""

MAX_QUOTE: constant(uint256) = 8192

TDX_REPORT_DATA: constant(uint256) = 568
# TDATTRIBUTES (8) ‖ XFAM (8) ‖ MRTD ‖ MRCONFIGID ‖ MROWNER ‖ MROWNERCONFIG ‖ RTMR0..3 (8 × 48): bytes 168..567
TDX_TD_ATTRIBUTES: constant(uint256) = 168
TDX_WORKLOAD_BYTES: constant(uint256) = 400
SGX_REPORT_DATA: constant(uint256) = 368
SGX_MISCSELECT: constant(uint256) = 64
# ATTRIBUTES (16) ‖ MRENCLAVE (32): bytes 96..143
SGX_ATTRIBUTES: constant(uint256) = 96
SGX_MRSIGNER: constant(uint256) = 176
SGX_ISVPRODID: constant(uint256) = 304
TEE_TDX: constant(uint256) = 129
TEE_SGX: constant(uint256) = 0


@pure
def _le16(quote: Bytes[MAX_QUOTE], at: uint256) -> uint256:
    return convert(slice(quote, at, 1), uint256) | (convert(slice(quote, at + 1, 1), uint256) << 8)


@pure
def parse(quote: Bytes[MAX_QUOTE]) -> (bytes32, Bytes[64]):
    """
    @return (workloadId, reportData)
    @dev TDX v4: workloadId = keccak256(TDATTRIBUTES ‖ XFAM ‖ MRTD ‖ MRCONFIGID ‖ MROWNER ‖
         MROWNERCONFIG ‖ RTMR0..3) (quote bytes 168..567), reportData at offset 568; refused if
         TDATTRIBUTES bit 0 (DEBUG) is set. SGX v3: workloadId = keccak256(MISCSELECT ‖ ATTRIBUTES ‖
         MRENCLAVE ‖ MRSIGNER ‖ ISVPRODID), reportData at 368; refused if ATTRIBUTES bit 1 (DEBUG) is set.
    """
    assert len(quote) >= 632, "quote: too short"
    version: uint256 = self._le16(quote, 0)
    tee: uint256 = self._le16(quote, 4) | (self._le16(quote, 6) << 16)
    if version == 4 and tee == TEE_TDX:
        assert convert(slice(quote, TDX_TD_ATTRIBUTES, 1), uint256) & 1 == 0, "quote: debug TD"
        return keccak256(slice(quote, TDX_TD_ATTRIBUTES, TDX_WORKLOAD_BYTES)), slice(quote, TDX_REPORT_DATA, 64)
    assert version == 3 and tee == TEE_SGX, "quote: unsupported type"
    assert convert(slice(quote, SGX_ATTRIBUTES, 1), uint256) & 2 == 0, "quote: debug enclave"
    workload: bytes32 = keccak256(concat(slice(quote, SGX_MISCSELECT, 4), slice(quote, SGX_ATTRIBUTES, 48), slice(quote, SGX_MRSIGNER, 32), slice(quote, SGX_ISVPRODID, 2)))
    return workload, slice(quote, SGX_REPORT_DATA, 64)
