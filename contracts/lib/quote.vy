# pragma version 0.4.3
"""
@title Fixed-offset reading of Intel TDX v4 and SGX v3 quotes
@notice Only the fields the registry binds are read: REPORTDATA and the
        measurements that form the workload id. Whether the quote is genuine is
        the attestation verifier's decision.
"""

MAX_QUOTE: constant(uint256) = 8192

TDX_REPORT_DATA: constant(uint256) = 568
TDX_MRTD: constant(uint256) = 184
TDX_RTMR0: constant(uint256) = 376
SGX_REPORT_DATA: constant(uint256) = 368
SGX_MRENCLAVE: constant(uint256) = 112
TEE_TDX: constant(uint256) = 129
TEE_SGX: constant(uint256) = 0


@pure
def _le16(quote: Bytes[MAX_QUOTE], at: uint256) -> uint256:
    return convert(slice(quote, at, 1), uint256) | (convert(slice(quote, at + 1, 1), uint256) << 8)


@pure
def parse(quote: Bytes[MAX_QUOTE]) -> (bytes32, Bytes[64]):
    """
    @return (workloadId, reportData)
    @dev TDX v4: workloadId = keccak256(MRTD ‖ RTMR0 ‖ RTMR1 ‖ RTMR2 ‖ RTMR3) (240 bytes),
         reportData at offset 568. SGX v3: workloadId = keccak256(MRENCLAVE), reportData at 368.
    """
    assert len(quote) >= 632, "quote: too short"
    version: uint256 = self._le16(quote, 0)
    tee: uint256 = self._le16(quote, 4) | (self._le16(quote, 6) << 16)
    if version == 4 and tee == TEE_TDX:
        workload: bytes32 = keccak256(concat(slice(quote, TDX_MRTD, 48), slice(quote, TDX_RTMR0, 192)))
        return workload, slice(quote, TDX_REPORT_DATA, 64)
    assert version == 3 and tee == TEE_SGX, "quote: unsupported type"
    return keccak256(slice(quote, SGX_MRENCLAVE, 32)), slice(quote, SGX_REPORT_DATA, 64)
