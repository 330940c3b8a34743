import Crypto
import Ethereum
import Foundation
import X509

extension SimulationPKI {
    /// Collateral for this PKI's quotes in `QuoteCollateralV3` form: TCB info and QE identity that rate
    /// the simulated platform up to date, signed by the TCB signing key, and empty CRLs, all valid from
    /// `issued` for `validity` seconds.
    public func collateral(issued: Date, validity: TimeInterval = 30 * 86_400) throws -> QuoteCollateral {
        try collateral(issued: issued, validity: validity, tcbInfoFMSPC: platform.fmspc, revokedPCKSerials: [])
    }

    /// The same with a chosen TCB info FMSPC and PCK CRL entries (negative tests build mismatches with these).
    func collateral(
        issued: Date, validity: TimeInterval, tcbInfoFMSPC: [UInt8], revokedPCKSerials: [[UInt8]]
    ) throws -> QuoteCollateral {
        let nextUpdate = issued.addingTimeInterval(validity)
        let tcbInfo = try Self.json(tcbInfo(issued: issued, nextUpdate: nextUpdate, fmspc: tcbInfoFMSPC))
        let qeIdentity = try Self.json(qeIdentity(issued: issued, nextUpdate: nextUpdate))
        let tcbChain = try pem([tcbSigningCertificate, rootCertificate])
        return QuoteCollateral(
            pckCRLIssuerChain: try pem([platformCACertificate, rootCertificate]),
            rootCACRL: try CertificateRevocationList.signedDER(
                issuer: rootCertificate.subject, thisUpdate: issued, nextUpdate: nextUpdate,
                revokedSerialNumbers: [], key: rootKey),
            pckCRL: try CertificateRevocationList.signedDER(
                issuer: platformCACertificate.subject, thisUpdate: issued, nextUpdate: nextUpdate,
                revokedSerialNumbers: revokedPCKSerials, key: platformCAKey),
            tcbInfoIssuerChain: tcbChain,
            tcbInfo: tcbInfo,
            tcbInfoSignature: Array(try tcbSigningKey.signature(for: Array(tcbInfo.utf8)).rawRepresentation),
            qeIdentityIssuerChain: tcbChain,
            qeIdentity: qeIdentity,
            qeIdentitySignature: Array(try tcbSigningKey.signature(for: Array(qeIdentity.utf8)).rawRepresentation))
    }

    private func tcbInfo(issued: Date, nextUpdate: Date, fmspc: [UInt8]) -> TCBInfo {
        let zeroSigner = HexField([UInt8](repeating: 0, count: 48))
        let attributes = HexField([UInt8](repeating: 0, count: 8))
        let mask = HexField([UInt8](repeating: 0xff, count: 8))
        var tdxComponents = platform.teeTCBSVN
        tdxComponents[1] = 0
        let moduleLevel = ISVSVNLevel(
            tcb: .init(isvsvn: UInt16(platform.teeTCBSVN[0])), tcbDate: TimestampField(issued),
            tcbStatus: .upToDate, advisoryIDs: nil)
        let module = TCBInfo.TDXModuleIdentity(
            id: "TDX_" + Hex.encode([platform.teeTCBSVN[1]], prefix: false).uppercased(), mrsigner: zeroSigner,
            attributes: attributes, attributesMask: mask, tcbLevels: [moduleLevel])
        let level = TCBInfo.TCBLevel(
            tcb: .init(sgxComponents: platform.sgxTCBComponents, pceSVN: platform.pceSVN, tdxComponents: tdxComponents),
            tcbDate: TimestampField(issued), tcbStatus: .upToDate, advisoryIDs: nil)
        return TCBInfo(
            id: "TDX", version: 3, issueDate: TimestampField(issued), nextUpdate: TimestampField(nextUpdate),
            fmspc: HexField(fmspc), pceId: HexField(platform.pceID), tcbType: 0, tcbEvaluationDataNumber: 1,
            tdxModule: .init(mrsigner: zeroSigner, attributes: attributes, attributesMask: mask),
            tdxModuleIdentities: [module], tcbLevels: [level])
    }

    private func qeIdentity(issued: Date, nextUpdate: Date) -> QEIdentity {
        QEIdentity(
            id: "TD_QE", version: 2, issueDate: TimestampField(issued), nextUpdate: TimestampField(nextUpdate),
            tcbEvaluationDataNumber: 1, miscselect: HexField([0, 0, 0, 0]), miscselectMask: HexField([0xff, 0xff, 0xff, 0xff]),
            attributes: HexField([0x11] + [UInt8](repeating: 0, count: 15)),
            attributesMask: HexField([0xfb] + [UInt8](repeating: 0xff, count: 7) + [UInt8](repeating: 0, count: 8)),
            mrsigner: HexField(SimulatedPlatform.qeMRSigner), isvprodid: SimulatedPlatform.qeISVProdID,
            tcbLevels: [
                ISVSVNLevel(
                    tcb: .init(isvsvn: platform.qeSVN), tcbDate: TimestampField(issued),
                    tcbStatus: .upToDate, advisoryIDs: nil)
            ])
    }

    private func pem(_ certificates: [Certificate]) throws -> String {
        try certificates.map { try $0.serializeAsPEM().pemString }.joined(separator: "\n") + "\n"
    }

    private static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
