import Crypto
import Foundation
import SwiftASN1
import X509

extension CertificateRevocationList {
    /// True when the CRL carries a valid ECDSA P-256 / SHA-256 signature by `key`.
    func isSigned(by key: P256.Signing.PublicKey) -> Bool {
        guard signatureAlgorithm == Self.ecdsaWithSHA256,
            let signature = try? P256.Signing.ECDSASignature(derRepresentation: signature)
        else { return false }
        return key.isValidSignature(signature, for: signedBytes)
    }

    /// Builds and signs a DER v2 CRL listing `revokedSerialNumbers` (used by the simulated PKI and tests).
    public static func signedDER(
        issuer: DistinguishedName, thisUpdate: Date, nextUpdate: Date,
        revokedSerialNumbers: [[UInt8]], crlNumber: Int = 1, key: P256.Signing.PrivateKey
    ) throws -> [UInt8] {
        var tbs = DER.Serializer()
        try tbs.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(1)
            try serializeAlgorithm(into: &coder)
            try coder.serialize(issuer)
            try ASN1Time.serialize(thisUpdate, into: &coder)
            try ASN1Time.serialize(nextUpdate, into: &coder)
            if !revokedSerialNumbers.isEmpty {
                try coder.appendConstructedNode(identifier: .sequence) { list in
                    for serial in revokedSerialNumbers {
                        try list.appendConstructedNode(identifier: .sequence) { entry in
                            entry.appendPrimitiveNode(identifier: .integer) { $0.append(contentsOf: serial) }
                            try ASN1Time.serialize(thisUpdate, into: &entry)
                        }
                    }
                }
            }
            try serializeCRLNumber(crlNumber, into: &coder)
        }
        let tbsBytes = tbs.serializedBytes
        let signature = try key.signature(for: tbsBytes).derRepresentation
        var crl = DER.Serializer()
        try crl.appendConstructedNode(identifier: .sequence) { coder in
            coder.serializeRawBytes(tbsBytes)
            try serializeAlgorithm(into: &coder)
            try coder.serialize(ASN1BitString(bytes: ArraySlice(signature)))
        }
        return crl.serializedBytes
    }

    /// id-ce-cRLNumber.
    private static let crlNumberExtension: ASN1ObjectIdentifier = [2, 5, 29, 20]

    /// crlExtensions [0] with the CRL number (RFC 5280 5.2.3: conforming issuers must include it).
    private static func serializeCRLNumber(_ number: Int, into coder: inout DER.Serializer) throws {
        var value = DER.Serializer()
        try value.serialize(number)
        try coder.serialize(explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific) { explicit in
            try explicit.appendConstructedNode(identifier: .sequence) { extensions in
                try extensions.appendConstructedNode(identifier: .sequence) { ext in
                    try ext.serialize(crlNumberExtension)
                    try ext.serialize(ASN1OctetString(contentBytes: ArraySlice(value.serializedBytes)))
                }
            }
        }
    }

    private static func serializeAlgorithm(into coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: .sequence) { try $0.serialize(ecdsaWithSHA256) }
    }
}
