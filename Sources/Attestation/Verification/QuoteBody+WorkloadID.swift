import Ethereum

extension QuoteBody {
    /// The workload id the registry's allowlist holds: keccak256(MRTD ‖ RTMR0 ‖ RTMR1 ‖ RTMR2 ‖ RTMR3)
    /// for a TD (5 × 48 bytes hashed), keccak256(MRENCLAVE) for an SGX enclave (32 bytes hashed).
    public var workloadID: Bytes32 {
        switch self {
        case .td(let report): Keccak256.hash(report.mrTD + report.rtmrs.joined())
        case .sgx(let report): Keccak256.hash(report.mrEnclave)
        }
    }
}
