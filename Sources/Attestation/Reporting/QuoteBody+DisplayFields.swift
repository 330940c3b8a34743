import Ethereum

extension QuoteBody {
    /// The report body's fields in Intel's order as (name, `0x` hex), for display.
    public var displayFields: [(name: String, hex: String)] {
        switch self {
        case .td(let r):
            var fields: [(String, [UInt8])] = [
                ("TEE_TCB_SVN", r.teeTCBSVN), ("MRSEAM", r.mrSeam), ("MRSIGNERSEAM", r.mrSignerSeam),
                ("SEAMATTRIBUTES", r.seamAttributes), ("TDATTRIBUTES", r.tdAttributes), ("XFAM", r.xfam),
                ("MRTD", r.mrTD), ("MRCONFIGID", r.mrConfigID), ("MROWNER", r.mrOwner), ("MROWNERCONFIG", r.mrOwnerConfig)
            ]
            fields += r.rtmrs.enumerated().map { ("RTMR\($0.offset)", $0.element) }
            fields.append(("REPORTDATA", r.reportData))
            if let svn2 = r.teeTCBSVN2, let service = r.mrServiceTD {
                fields += [("TEE_TCB_SVN2", svn2), ("MRSERVICETD", service)]
            }
            return fields.map { ($0.0, Hex.encode($0.1)) }
        case .sgx(let r):
            let fields: [(String, [UInt8])] = [
                ("CPUSVN", r.cpuSVN), ("MISCSELECT", r.miscSelect), ("ATTRIBUTES", r.attributes),
                ("MRENCLAVE", r.mrEnclave), ("MRSIGNER", r.mrSigner),
                ("ISVPRODID", [UInt8(r.isvProdID >> 8), UInt8(r.isvProdID & 0xff)]),
                ("ISVSVN", [UInt8(r.isvSVN >> 8), UInt8(r.isvSVN & 0xff)]), ("REPORTDATA", r.reportData)
            ]
            return fields.map { ($0.0, Hex.encode($0.1)) }
        }
    }
}
