import Foundation

/// A signed collateral document or CRL.
public enum CollateralItem: String, Sendable, Equatable {
    case tcbInfo = "TCB info"
    case qeIdentity = "QE identity"
    case rootCACRL = "root CA CRL"
    case pckCRL = "PCK CRL"
}

/// A certificate chain the verifier checks against the trust anchor.
public enum CertificateChainRole: String, Sendable, Equatable {
    case pck = "PCK certificate chain"
    case pckCRLIssuer = "PCK CRL issuer chain"
    case tcbInfoIssuer = "TCB info issuer chain"
    case qeIdentityIssuer = "QE identity issuer chain"
}

/// Why a quote did not verify. Each case names one failed check; `description` is one clear line.
public enum DCAPVerificationError: Error, Equatable, Sendable, CustomStringConvertible {
    case quoteMalformed(QuoteParseError)
    case collateralMalformed(String)
    case collateralExpired(CollateralItem, nextUpdate: Date)
    case collateralNotYetValid(CollateralItem, issued: Date)
    case collateralSignatureInvalid(CollateralItem)
    case crlIssuerMismatch(CollateralItem)
    case certificateChainMalformed(CertificateChainRole, String)
    case certificateChainUntrusted(CertificateChainRole, String)
    case certificateRevoked(CertificateChainRole, subject: String)
    case pckExtensionMalformed(String)
    case unknownQEVendor
    case tcbInfoMismatch(String)
    case fmspcMismatch(pck: String, tcbInfo: String)
    case pceIDMismatch(pck: String, tcbInfo: String)
    case qeReportSignatureInvalid
    case qeReportDataMismatch
    case qeIdentityMismatch(String)
    case quoteSignatureInvalid
    case tdxModuleMismatch(String)
    case tcbLevelNotFound(String)
    case debugModeEnabled

    public var description: String {
        switch self {
        case .quoteMalformed(let e): "malformed quote: \(e)"
        case .collateralMalformed(let why): "malformed collateral: \(why)"
        case let .collateralExpired(item, next): "\(item.rawValue) expired (next update was due \(next.ISO8601Format()))"
        case let .collateralNotYetValid(item, issued): "\(item.rawValue) is not valid yet (issued \(issued.ISO8601Format()))"
        case .collateralSignatureInvalid(let item): "the \(item.rawValue) signature is invalid"
        case .crlIssuerMismatch(let item): "the \(item.rawValue) is not issued by the expected CA (wrong trust anchor or mixed collateral)"
        case let .certificateChainMalformed(role, why): "\(role.rawValue) is malformed: \(why)"
        case let .certificateChainUntrusted(role, why): "\(role.rawValue) does not verify to the trust anchor: \(why)"
        case let .certificateRevoked(role, subject): "\(role.rawValue): certificate \(subject) is revoked"
        case .pckExtensionMalformed(let why): "PCK certificate SGX extension: \(why)"
        case .unknownQEVendor: "the quote's QE vendor id is not Intel's"
        case .tcbInfoMismatch(let why): "TCB info does not match the quote: \(why)"
        case let .fmspcMismatch(pck, tcb): "FMSPC mismatch: PCK certificate \(pck), TCB info \(tcb)"
        case let .pceIDMismatch(pck, tcb): "PCE id mismatch: PCK certificate \(pck), TCB info \(tcb)"
        case .qeReportSignatureInvalid: "the QE report signature is invalid"
        case .qeReportDataMismatch: "the QE report data does not bind the attestation key and QE auth data"
        case .qeIdentityMismatch(let why): "the QE does not match the QE identity: \(why)"
        case .quoteSignatureInvalid: "the ISV enclave report signature is invalid"
        case .tdxModuleMismatch(let why): "the TDX module does not match the TCB info: \(why)"
        case .tcbLevelNotFound(let why): "no TCB level matches: \(why)"
        case .debugModeEnabled: "the enclave or TD runs in debug mode"
        }
    }
}
