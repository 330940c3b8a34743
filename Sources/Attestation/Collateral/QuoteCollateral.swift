import Ethereum
import Foundation

/// The collateral a quote is verified against, in dcap-qvl's `QuoteCollateralV3` JSON form:
/// CRLs as hex DER, issuer chains as PEM, TCB info and QE identity as the exact signed JSON text,
/// and their signatures as hex raw ECDSA (r ‖ s).
public struct QuoteCollateral: Sendable, Equatable, Codable {
    public var pckCRLIssuerChain: String
    public var rootCACRL: [UInt8]
    public var pckCRL: [UInt8]
    public var tcbInfoIssuerChain: String
    /// The TCB info JSON exactly as signed: verification hashes these bytes, never a re-encoding.
    public var tcbInfo: String
    public var tcbInfoSignature: [UInt8]
    public var qeIdentityIssuerChain: String
    public var qeIdentity: String
    public var qeIdentitySignature: [UInt8]

    public init(
        pckCRLIssuerChain: String, rootCACRL: [UInt8], pckCRL: [UInt8],
        tcbInfoIssuerChain: String, tcbInfo: String, tcbInfoSignature: [UInt8],
        qeIdentityIssuerChain: String, qeIdentity: String, qeIdentitySignature: [UInt8]
    ) {
        self.pckCRLIssuerChain = pckCRLIssuerChain
        self.rootCACRL = rootCACRL
        self.pckCRL = pckCRL
        self.tcbInfoIssuerChain = tcbInfoIssuerChain
        self.tcbInfo = tcbInfo
        self.tcbInfoSignature = tcbInfoSignature
        self.qeIdentityIssuerChain = qeIdentityIssuerChain
        self.qeIdentity = qeIdentity
        self.qeIdentitySignature = qeIdentitySignature
    }

    enum CodingKeys: String, CodingKey {
        case pckCRLIssuerChain = "pck_crl_issuer_chain"
        case rootCACRL = "root_ca_crl"
        case pckCRL = "pck_crl"
        case tcbInfoIssuerChain = "tcb_info_issuer_chain"
        case tcbInfo = "tcb_info"
        case tcbInfoSignature = "tcb_info_signature"
        case qeIdentityIssuerChain = "qe_identity_issuer_chain"
        case qeIdentity = "qe_identity"
        case qeIdentitySignature = "qe_identity_signature"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func hex(_ key: CodingKeys) throws -> [UInt8] {
            let text = try c.decode(String.self, forKey: key)
            guard let bytes = try? Hex.decode(text) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "not hex")
            }
            return bytes
        }
        pckCRLIssuerChain = try c.decode(String.self, forKey: .pckCRLIssuerChain)
        rootCACRL = try hex(.rootCACRL)
        pckCRL = try hex(.pckCRL)
        tcbInfoIssuerChain = try c.decode(String.self, forKey: .tcbInfoIssuerChain)
        tcbInfo = try c.decode(String.self, forKey: .tcbInfo)
        tcbInfoSignature = try hex(.tcbInfoSignature)
        qeIdentityIssuerChain = try c.decode(String.self, forKey: .qeIdentityIssuerChain)
        qeIdentity = try c.decode(String.self, forKey: .qeIdentity)
        qeIdentitySignature = try hex(.qeIdentitySignature)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(pckCRLIssuerChain, forKey: .pckCRLIssuerChain)
        try c.encode(Hex.encode(rootCACRL, prefix: false), forKey: .rootCACRL)
        try c.encode(Hex.encode(pckCRL, prefix: false), forKey: .pckCRL)
        try c.encode(tcbInfoIssuerChain, forKey: .tcbInfoIssuerChain)
        try c.encode(tcbInfo, forKey: .tcbInfo)
        try c.encode(Hex.encode(tcbInfoSignature, prefix: false), forKey: .tcbInfoSignature)
        try c.encode(qeIdentityIssuerChain, forKey: .qeIdentityIssuerChain)
        try c.encode(qeIdentity, forKey: .qeIdentity)
        try c.encode(Hex.encode(qeIdentitySignature, prefix: false), forKey: .qeIdentitySignature)
    }
}

extension QuoteCollateral {
    /// Decodes the `QuoteCollateralV3` JSON document.
    public init(json: [UInt8]) throws(DCAPVerificationError) {
        do {
            self = try JSONDecoder().decode(QuoteCollateral.self, from: Data(json))
        } catch {
            throw .collateralMalformed("collateral JSON: \(error)")
        }
    }

    /// The `QuoteCollateralV3` JSON document, keys sorted.
    public func jsonBytes() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return (try? Array(encoder.encode(self))) ?? []
    }
}
