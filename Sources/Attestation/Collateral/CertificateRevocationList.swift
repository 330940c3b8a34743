import Foundation
import SwiftASN1
import X509

/// An X.509 v2 CRL (RFC 5280, section 5) as Intel publishes them: issuer, validity window and the serial
/// numbers of revoked certificates. swift-certificates has no CRL type, so this schema is read and written
/// with SwiftASN1; the signature is checked by `isSigned(by:)`.
public struct CertificateRevocationList: Sendable, Equatable {
    public let issuer: DistinguishedName
    public let thisUpdate: Date
    public let nextUpdate: Date?
    /// Serial numbers (DER INTEGER content bytes) of the revoked certificates.
    public let revokedSerialNumbers: [[UInt8]]
    /// The DER of `tbsCertList`: what the signature covers.
    let signedBytes: [UInt8]
    /// The DER ECDSA-Sig-Value inside the signature BIT STRING.
    let signature: [UInt8]
    let signatureAlgorithm: ASN1ObjectIdentifier

    /// ecdsa-with-SHA256, the only signature algorithm Intel's DCAP PKI uses.
    static let ecdsaWithSHA256: ASN1ObjectIdentifier = [1, 2, 840, 10045, 4, 3, 2]

    /// Parses a DER CRL; hostile input throws.
    public init(derEncoded bytes: [UInt8]) throws {
        let root = try DER.parse(bytes)
        var parsed: (tbs: [UInt8], fields: TBSFields)?
        var algorithm: ASN1ObjectIdentifier?
        var signatureBits: [UInt8] = []
        try DER.sequence(root, identifier: .sequence) { nodes in
            guard let tbsNode = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "no tbsCertList") }
            parsed = (Array(tbsNode.encodedBytes), try TBSFields(node: tbsNode))
            algorithm = try Self.readAlgorithm(nodes.next())
            guard let bitsNode = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "no signature") }
            signatureBits = Array(try ASN1BitString(derEncoded: bitsNode).bytes)
        }
        guard let parsed, let algorithm else { throw ASN1Error.invalidASN1Object(reason: "incomplete CRL") }
        guard algorithm == parsed.fields.algorithm else {
            throw ASN1Error.invalidASN1Object(reason: "signature algorithms differ")
        }
        issuer = parsed.fields.issuer
        thisUpdate = parsed.fields.thisUpdate
        nextUpdate = parsed.fields.nextUpdate
        revokedSerialNumbers = parsed.fields.revoked
        signedBytes = parsed.tbs
        signature = signatureBits
        signatureAlgorithm = algorithm
    }

    /// True when `certificate`'s serial number is listed.
    public func lists(_ certificate: Certificate) -> Bool {
        let serial = Array(certificate.serialNumber.bytes)
        return revokedSerialNumbers.contains(serial)
    }

    static func readAlgorithm(_ node: ASN1Node?) throws -> ASN1ObjectIdentifier {
        guard let node else { throw ASN1Error.invalidASN1Object(reason: "no algorithm") }
        return try DER.sequence(node, identifier: .sequence) { nodes in
            guard let oidNode = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "empty algorithm") }
            let oid = try ASN1ObjectIdentifier(derEncoded: oidNode)
            while nodes.next() != nil {}
            return oid
        }
    }
}

/// The fields of `TBSCertList` this verifier uses.
private struct TBSFields {
    var algorithm: ASN1ObjectIdentifier
    var issuer: DistinguishedName
    var thisUpdate: Date
    var nextUpdate: Date?
    var revoked: [[UInt8]] = []

    init(node: ASN1Node) throws {
        var fields: TBSFields?
        try DER.sequence(node, identifier: .sequence) { nodes in
            var next = nodes.next()
            if let versionNode = next, versionNode.identifier == .integer {
                _ = try Int(derEncoded: versionNode)
                next = nodes.next()
            }
            let algorithm = try CertificateRevocationList.readAlgorithm(next)
            guard let issuerNode = nodes.next(), let thisUpdateNode = nodes.next() else {
                throw ASN1Error.invalidASN1Object(reason: "tbsCertList too short")
            }
            var result = TBSFields(
                algorithm: algorithm, issuer: try DistinguishedName(derEncoded: issuerNode),
                thisUpdate: try ASN1Time.date(from: thisUpdateNode))
            next = nodes.next()
            if let node = next, node.identifier == UTCTime.defaultIdentifier || node.identifier == GeneralizedTime.defaultIdentifier {
                result.nextUpdate = try ASN1Time.date(from: node)
                next = nodes.next()
            }
            if let node = next, node.identifier == .sequence {
                result.revoked = try Self.serials(node)
                next = nodes.next()
            }
            while next != nil { next = nodes.next() }  // crlExtensions [0]: not needed for revocation by serial
            fields = result
        }
        guard let fields else { throw ASN1Error.invalidASN1Object(reason: "empty tbsCertList") }
        self = fields
    }

    private init(algorithm: ASN1ObjectIdentifier, issuer: DistinguishedName, thisUpdate: Date) {
        self.algorithm = algorithm
        self.issuer = issuer
        self.thisUpdate = thisUpdate
    }

    private static func serials(_ node: ASN1Node) throws -> [[UInt8]] {
        guard case .constructed(let entries) = node.content else { throw ASN1Error.unexpectedFieldType(node.identifier) }
        return try entries.map { entry in
            try DER.sequence(entry, identifier: .sequence) { fields in
                guard let serialNode = fields.next(), serialNode.identifier == .integer,
                    case .primitive(let content) = serialNode.content
                else {
                    throw ASN1Error.invalidASN1Object(reason: "revoked entry without serial")
                }
                while fields.next() != nil {}
                return Array(content)
            }
        }
    }
}
