import Ethereum

extension QuoteBody {
    /// The workload id the registry's allowlist holds: everything in the report that fixes the software
    /// and its configuration, hashed as the quote lays it out (contracts/lib/quote.vy computes the same):
    /// - TD: keccak256(TDATTRIBUTES ‖ XFAM ‖ MRTD ‖ MRCONFIGID ‖ MROWNER ‖ MROWNERCONFIG ‖ RTMR0..3) (400 bytes);
    /// - SGX enclave: keccak256(MISCSELECT ‖ ATTRIBUTES ‖ MRENCLAVE ‖ MRSIGNER ‖ ISVPRODID) (86 bytes,
    ///   ISVPRODID little-endian as in the quote).
    /// The debug flag is inside the attributes, so a debug build never shares a production workload id.
    public var workloadID: Bytes32 {
        switch self {
        case .td(let report):
            Keccak256.hash(
                report.tdAttributes + report.xfam + report.mrTD + report.mrConfigID + report.mrOwner
                    + report.mrOwnerConfig + report.rtmrs.joined())
        case .sgx(let report):
            Keccak256.hash(
                report.miscSelect + report.attributes + report.mrEnclave + report.mrSigner
                    + [UInt8(report.isvProdID & 0xff), UInt8(report.isvProdID >> 8)])
        }
    }
}
