import Crypto
import Ethereum
import Foundation
import X509

/// Verifies Intel DCAP quotes (SGX and TDX) against collateral at a given time, fully and offline:
/// the collateral's signatures, chains, CRLs and validity windows; the PCK chain to the trust anchor and
/// the PCK CRL; the QE report signature and its binding of the attestation key; the QE identity; the
/// quote signature; and the TCB level, converged with the TDX module and QE statuses.
public struct DCAPVerifier: Sendable {
    public let trustAnchor: TrustAnchor

    /// A verifier that trusts only `trustAnchor`: the pinned Intel SGX Root CA unless told otherwise.
    public init(trustAnchor: TrustAnchor = .intelSGXRootCA) {
        self.trustAnchor = trustAnchor
    }

    /// Parses and verifies raw quote bytes.
    public func verify(quote bytes: [UInt8], collateral: QuoteCollateral, at time: Date) async throws(DCAPVerificationError) -> VerifiedQuote {
        let quote: Quote
        do { quote = try Quote(bytes: bytes) } catch { throw .quoteMalformed(error) }
        return try await verify(quote, collateral: collateral, at: time)
    }

    /// Verifies a parsed quote.
    public func verify(_ quote: Quote, collateral: QuoteCollateral, at time: Date) async throws(DCAPVerificationError) -> VerifiedQuote {
        let (verified, chains) = try await CollateralVerifier(anchor: trustAnchor, time: time).verify(collateral)
        let tcbInfo = verified.tcbInfo
        guard quote.header.qeVendorID == QuoteHeader.intelQEVendorID else { throw .unknownQEVendor }
        guard tcbInfo.isTDX == (quote.header.teeType == .tdx) else {
            throw .tcbInfoMismatch("TCB info \(tcbInfo.id ?? "SGX") v\(tcbInfo.version) is for another TEE")
        }
        let signature = quote.signatureData
        let pckLeaf = try await verifiedPCKCertificate(signature, collateral: verified, chains: chains)
        let pck = try SGXPCKExtension(certificate: pckLeaf)
        guard pck.fmspc == tcbInfo.fmspc.bytes else {
            throw .fmspcMismatch(pck: Hex.encode(pck.fmspc, prefix: false).uppercased(), tcbInfo: Hex.encode(tcbInfo.fmspc.bytes, prefix: false).uppercased())
        }
        guard pck.pceID == tcbInfo.pceId.bytes else {
            throw .pceIDMismatch(pck: Hex.encode(pck.pceID, prefix: false), tcbInfo: Hex.encode(tcbInfo.pceId.bytes, prefix: false))
        }
        var tdxModule: TCBAssessment?
        if case .td(let report) = quote.body { tdxModule = try tcbInfo.tdxModuleAssessment(report) }

        try Self.checkQEReport(signature, pckLeaf: pckLeaf)
        let qe = try verified.qeIdentity.assessment(of: signature.qeReport, teeType: quote.header.teeType)
        guard let attestationKey = P256Raw.publicKey(signature.attestationKey),
            P256Raw.isValid(signature: signature.quoteSignature, of: quote.signedBytes, by: attestationKey)
        else {
            throw .quoteSignatureInvalid
        }

        var assessment: TCBAssessment
        if case .td(let report) = quote.body, let tdxModule {
            assessment = try tcbInfo.platformAssessment(pck: pck, teeTCBSVN: report.teeTCBSVN).converged(with: tdxModule)
        } else {
            assessment = try tcbInfo.platformAssessment(pck: pck, teeTCBSVN: nil)
        }
        assessment = assessment.converged(with: qe)
        guard !quote.body.isDebug else { throw .debugModeEnabled }
        return VerifiedQuote(
            quote: quote, status: assessment.status, advisoryIDs: assessment.advisoryIDs,
            fmspc: pck.fmspc, pckExtension: pck, qeAssessment: qe, tdxModuleAssessment: tdxModule,
            verifiedAt: time, collateralValidUntil: verified.validUntil,
            trustAnchorIsIntel: trustAnchor.isIntelProduction)
    }

    /// Verifies the quote's PCK chain to the anchor, checks that the PCK CRL comes from the PCK's issuer,
    /// and that it does not list the PCK certificate.
    private func verifiedPCKCertificate(
        _ signature: QuoteSignatureData, collateral: VerifiedCollateral, chains: CertificateChainVerifier
    ) async throws(DCAPVerificationError) -> Certificate {
        let pem = String(decoding: signature.pckCertificateChainPEM, as: UTF8.self)
        let chain = try await chains.verify(CertificateChainVerifier.certificates(pem: pem, role: .pck), role: .pck)
        let leaf = chain[0]
        guard chain.count >= 2, chain[1].publicKey == collateral.pckCRLIssuer.publicKey,
            collateral.pckCRL.issuer == leaf.issuer
        else {
            throw .crlIssuerMismatch(.pckCRL)
        }
        if collateral.pckCRL.lists(leaf) { throw .certificateRevoked(.pck, subject: leaf.subject.description) }
        return leaf
    }

    /// The QE report must be signed by the PCK key, and its REPORTDATA must be
    /// SHA-256(attestation key ‖ QE auth data) followed by 32 zero bytes.
    private static func checkQEReport(_ signature: QuoteSignatureData, pckLeaf: Certificate) throws(DCAPVerificationError) {
        guard let pckKey = P256.Signing.PublicKey(pckLeaf.publicKey),
            P256Raw.isValid(signature: signature.qeReportSignature, of: signature.qeReport.rawBytes, by: pckKey)
        else {
            throw .qeReportSignatureInvalid
        }
        let expected = Array(SHA256.hash(data: signature.attestationKey + signature.qeAuthData)) + [UInt8](repeating: 0, count: 32)
        guard signature.qeReport.reportData == expected else { throw .qeReportDataMismatch }
    }
}
