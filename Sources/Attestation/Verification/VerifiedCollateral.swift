import Foundation
import X509

/// Collateral whose signatures, issuer chains, CRLs and validity windows have been checked.
struct VerifiedCollateral: Sendable {
    let tcbInfo: TCBInfo
    let qeIdentity: QEIdentity
    let rootCRL: CertificateRevocationList
    let pckCRL: CertificateRevocationList
    /// The CA that signed the PCK CRL (the PCK Platform or Processor CA).
    let pckCRLIssuer: Certificate
    /// The earliest `nextUpdate` among the collateral: when it must be refreshed.
    let validUntil: Date
}
