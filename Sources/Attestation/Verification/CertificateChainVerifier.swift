import Foundation
import SwiftASN1
@_spi(FixedExpiryValidationTime) import X509

/// Verifies certificate chains to the trust anchor with swift-certificates' RFC 5280 policy (signatures,
/// basic and name constraints, validity periods at a chosen instant through its `FixedExpiryValidationTime`
/// SPI), then checks every certificate the root issued against the root CA's CRL.
struct CertificateChainVerifier: Sendable {
    let anchor: TrustAnchor
    let time: Date
    let rootCRL: CertificateRevocationList

    /// Parses a concatenation of PEM certificates, leaf first. Trailing NULs (as carried in quotes) are ignored.
    static func certificates(pem: String, role: CertificateChainRole) throws(DCAPVerificationError) -> [Certificate] {
        let text = String(pem.unicodeScalars.filter { $0 != "\0" })
        do {
            let documents = try PEMDocument.parseMultiple(pemString: text)
            let certificates = try documents.map { try Certificate(derEncoded: $0.derBytes) }
            guard certificates.count >= 2 else {
                throw DCAPVerificationError.certificateChainMalformed(role, "expected a leaf and its issuers, found \(certificates.count) certificate(s)")
            }
            return certificates
        } catch let error as DCAPVerificationError {
            throw error
        } catch {
            throw .certificateChainMalformed(role, "\(error)")
        }
    }

    /// Verifies `certificates` (leaf first) and returns the validated chain, leaf to root.
    func verify(_ certificates: [Certificate], role: CertificateChainRole) async throws(DCAPVerificationError) -> [Certificate] {
        guard let leaf = certificates.first else { throw .certificateChainMalformed(role, "empty chain") }
        var verifier = Verifier(rootCertificates: CertificateStore([anchor.certificate])) {
            RFC5280Policy(fixedExpiryValidationTime: time)
        }
        let result = await verifier.validate(leaf: leaf, intermediates: CertificateStore(certificates.dropFirst()))
        switch result {
        case .validCertificate(let chain):
            let validated = Array(chain)
            for certificate in validated.dropLast() where certificate.issuer == anchor.certificate.subject {
                if rootCRL.lists(certificate) {
                    throw .certificateRevoked(role, subject: certificate.subject.description)
                }
            }
            return validated
        case .couldNotValidate(let failures):
            let reason = failures.first.map { "\($0.policyFailureReason)" } ?? "no chain to the trust anchor"
            throw .certificateChainUntrusted(role, reason)
        }
    }
}
