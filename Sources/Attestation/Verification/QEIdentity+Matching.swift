extension QEIdentity {
    /// Checks the QE report against this identity (Intel's enclave report verification: MISCSELECT and
    /// ATTRIBUTES under their masks, MRSIGNER, ISVPRODID) and returns the QE's TCB assessment by ISV SVN.
    func assessment(of report: SGXReportBody, teeType: TEEType) throws(DCAPVerificationError) -> TCBAssessment {
        let expectedID = teeType == .tdx ? "TD_QE" : "QE"
        guard id == expectedID, version >= 2 else {
            throw .qeIdentityMismatch("identity \(id) v\(version) is not for a \(expectedID)")
        }
        guard Self.masked(report.miscSelect, miscselectMask.bytes) == miscselect.bytes else {
            throw .qeIdentityMismatch("MISCSELECT")
        }
        guard Self.masked(report.attributes, attributesMask.bytes) == attributes.bytes else {
            throw .qeIdentityMismatch("ATTRIBUTES")
        }
        guard report.mrSigner == mrsigner.bytes else { throw .qeIdentityMismatch("MRSIGNER") }
        guard report.isvProdID == isvprodid else { throw .qeIdentityMismatch("ISVPRODID") }
        guard let assessment = tcbLevels.assessment(for: report.isvSVN) else {
            throw .tcbLevelNotFound("QE ISV SVN \(report.isvSVN) is below every QE identity level")
        }
        return assessment
    }

    /// `value & mask`, byte by byte; nil when the lengths differ (a malformed identity never matches).
    private static func masked(_ value: [UInt8], _ mask: [UInt8]) -> [UInt8]? {
        guard value.count == mask.count else { return nil }
        return zip(value, mask).map { $0 & $1 }
    }
}
