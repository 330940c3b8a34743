import Ethereum
extension TCBInfo {
    /// True for TDX TCB info (version 3 or later, id "TDX").
    var isTDX: Bool { version >= 3 && id == "TDX" }

    /// Selects the platform's TCB level as Intel's QVL does: the first (newest) level whose 16 SGX
    /// components and PCE SVN the PCK certificate reaches, and for TDX whose TDX components TEE_TCB_SVN
    /// reaches (from index 2 when a TDX module version is set, as the module has its own identity levels).
    func platformAssessment(pck: SGXPCKExtension, teeTCBSVN: [UInt8]?) throws(DCAPVerificationError) -> TCBAssessment {
        for level in tcbLevels {
            let sgxReached = zip(pck.tcbComponents, level.tcb.sgxComponents).allSatisfy { $0 >= $1 }
            guard sgxReached, pck.pceSVN >= level.tcb.pceSVN else { continue }
            if let teeTCBSVN {
                guard let required = level.tcb.tdxComponents else {
                    throw .tcbInfoMismatch("a TDX TCB level has no TDX components")
                }
                let start = teeTCBSVN[1] > 0 ? 2 : 0
                guard (start..<16).allSatisfy({ teeTCBSVN[$0] >= required[$0] }) else { continue }
            }
            return TCBAssessment(status: level.tcbStatus, advisoryIDs: level.advisoryIDs ?? [])
        }
        throw .tcbLevelNotFound("the platform TCB is below every level of the TCB info")
    }

    /// Checks the TDX module signer and attributes and returns the module's own TCB assessment.
    func tdxModuleAssessment(_ report: TDReportBody) throws(DCAPVerificationError) -> TCBAssessment {
        guard let tdxModule else { throw .tdxModuleMismatch("TCB info has no tdxModule") }
        try Self.checkSigner(
            report, mrsigner: tdxModule.mrsigner.bytes, attributes: tdxModule.attributes.bytes,
            mask: tdxModule.attributesMask.bytes)
        let version = report.teeTCBSVN[1]
        guard version > 0 else { return TCBAssessment(status: .upToDate, advisoryIDs: []) }
        let wanted = "TDX_" + Hex.encode([version], prefix: false).uppercased()
        guard let identity = tdxModuleIdentities?.first(where: { $0.id.uppercased() == wanted }) else {
            throw .tdxModuleMismatch("no identity \(wanted) in the TCB info")
        }
        try Self.checkSigner(
            report, mrsigner: identity.mrsigner.bytes, attributes: identity.attributes.bytes,
            mask: identity.attributesMask.bytes)
        guard let assessment = identity.tcbLevels.assessment(for: UInt16(report.teeTCBSVN[0])) else {
            throw .tcbLevelNotFound("TDX module \(wanted) SVN \(report.teeTCBSVN[0]) is below every level")
        }
        return assessment
    }

    private static func checkSigner(
        _ report: TDReportBody, mrsigner: [UInt8], attributes: [UInt8], mask: [UInt8]
    ) throws(DCAPVerificationError) {
        guard report.mrSignerSeam == mrsigner else { throw .tdxModuleMismatch("MRSIGNERSEAM differs") }
        guard mask.count == attributes.count, attributes.count == report.seamAttributes.count,
            zip(report.seamAttributes, mask).map({ $0 & $1 }) == attributes
        else {
            throw .tdxModuleMismatch("SEAMATTRIBUTES differ under the mask")
        }
    }
}
