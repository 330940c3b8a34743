import Crypto
import Foundation
import X509

/// Checks a `QuoteCollateral` against the trust anchor at a fixed time.
struct CollateralVerifier: Sendable {
    let anchor: TrustAnchor
    let time: Date

    func verify(_ collateral: QuoteCollateral) async throws(DCAPVerificationError) -> (VerifiedCollateral, CertificateChainVerifier) {
        // Validity windows first: an expired document is rejected before anything else is looked at.
        let tcbInfo = try decodeCollateralJSON(TCBInfo.self, collateral.tcbInfo, item: .tcbInfo)
        try checkWindow(.tcbInfo, issued: tcbInfo.issueDate.date, nextUpdate: tcbInfo.nextUpdate.date)
        let qeIdentity = try decodeCollateralJSON(QEIdentity.self, collateral.qeIdentity, item: .qeIdentity)
        try checkWindow(.qeIdentity, issued: qeIdentity.issueDate.date, nextUpdate: qeIdentity.nextUpdate.date)

        let rootCRL = try crl(collateral.rootCACRL, .rootCACRL)
        guard rootCRL.issuer == anchor.certificate.subject,
            let rootKey = P256.Signing.PublicKey(anchor.certificate.publicKey)
        else { throw .crlIssuerMismatch(.rootCACRL) }
        guard rootCRL.isSigned(by: rootKey) else { throw .collateralSignatureInvalid(.rootCACRL) }
        let chains = CertificateChainVerifier(anchor: anchor, time: time, rootCRL: rootCRL)

        try await checkSigned(
            collateral.tcbInfo, signature: collateral.tcbInfoSignature, item: .tcbInfo,
            chainPEM: collateral.tcbInfoIssuerChain, role: .tcbInfoIssuer, chains: chains)
        try await checkSigned(
            collateral.qeIdentity, signature: collateral.qeIdentitySignature, item: .qeIdentity,
            chainPEM: collateral.qeIdentityIssuerChain, role: .qeIdentityIssuer, chains: chains)

        let pckCRL = try crl(collateral.pckCRL, .pckCRL)
        let issuerChain = try await chains.verify(
            CertificateChainVerifier.certificates(pem: collateral.pckCRLIssuerChain, role: .pckCRLIssuer), role: .pckCRLIssuer)
        let issuer = issuerChain[0]
        guard pckCRL.issuer == issuer.subject, let issuerKey = P256.Signing.PublicKey(issuer.publicKey) else {
            throw .crlIssuerMismatch(.pckCRL)
        }
        guard pckCRL.isSigned(by: issuerKey) else { throw .collateralSignatureInvalid(.pckCRL) }

        let deadlines = [tcbInfo.nextUpdate.date, qeIdentity.nextUpdate.date] + [rootCRL.nextUpdate, pckCRL.nextUpdate].compactMap { $0 }
        let verified = VerifiedCollateral(
            tcbInfo: tcbInfo, qeIdentity: qeIdentity, rootCRL: rootCRL, pckCRL: pckCRL,
            pckCRLIssuer: issuer, validUntil: deadlines.min() ?? time)
        return (verified, chains)
    }

    private func checkWindow(_ item: CollateralItem, issued: Date, nextUpdate: Date?) throws(DCAPVerificationError) {
        if let nextUpdate, time > nextUpdate { throw .collateralExpired(item, nextUpdate: nextUpdate) }
        if time < issued { throw .collateralNotYetValid(item, issued: issued) }
    }

    private func crl(_ der: [UInt8], _ item: CollateralItem) throws(DCAPVerificationError) -> CertificateRevocationList {
        let list: CertificateRevocationList
        do { list = try CertificateRevocationList(derEncoded: der) } catch {
            throw .collateralMalformed("\(item.rawValue): \(error)")
        }
        try checkWindow(item, issued: list.thisUpdate, nextUpdate: list.nextUpdate)
        return list
    }

    /// Verifies the issuer chain of a signed JSON document, then its raw ECDSA signature over the exact text.
    private func checkSigned(
        _ text: String, signature: [UInt8], item: CollateralItem,
        chainPEM: String, role: CertificateChainRole, chains: CertificateChainVerifier
    ) async throws(DCAPVerificationError) {
        let chain = try await chains.verify(CertificateChainVerifier.certificates(pem: chainPEM, role: role), role: role)
        guard let key = P256.Signing.PublicKey(chain[0].publicKey),
            P256Raw.isValid(signature: signature, of: Array(text.utf8), by: key)
        else {
            throw .collateralSignatureInvalid(item)
        }
    }
}
