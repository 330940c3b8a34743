/// The ECDSA signature data that follows the report body: the quote signature, the attestation key,
/// and the Quoting Enclave's report with its PCK-signed signature and PCK certificate chain.
public struct QuoteSignatureData: Sendable, Equatable {
    /// Certification data type 5: the PCK certificate chain, PEM encoded.
    static let pckChainType: UInt16 = 5
    /// Certification data type 6: the QE report certification data (v4 and v5 quotes).
    static let qeReportCertificationType: UInt16 = 6

    /// ECDSA P-256 signature (r ‖ s, 64 bytes) over header and body, by the attestation key.
    public let quoteSignature: [UInt8]
    /// The attestation public key (x ‖ y, 64 bytes).
    public let attestationKey: [UInt8]
    /// The Quoting Enclave's report; its REPORTDATA binds the attestation key.
    public let qeReport: SGXReportBody
    /// ECDSA P-256 signature (r ‖ s) over the QE report, by the PCK key.
    public let qeReportSignature: [UInt8]
    /// QE authentication data, hashed together with the attestation key into the QE REPORTDATA.
    public let qeAuthData: [UInt8]
    /// The PCK certificate chain as carried in the quote (PEM text, possibly NUL-terminated).
    public let pckCertificateChainPEM: [UInt8]

    init(reading reader: inout ByteReader, version: UInt16) throws(QuoteParseError) {
        quoteSignature = try reader.read(64, .quoteSignature)
        attestationKey = try reader.read(64, .attestationKey)
        if version == 3 {
            let parts = try Self.readQEReportParts(&reader)
            (qeReport, qeReportSignature, qeAuthData, pckCertificateChainPEM) = parts
            return
        }
        let type = try reader.readUInt16(.certificationDataHeader)
        guard type == Self.qeReportCertificationType else {
            throw .unexpectedCertificationDataType(found: type, expected: Self.qeReportCertificationType)
        }
        let size = try reader.readUInt32(.certificationDataHeader)
        var inner = ByteReader(try reader.readBlock(length: size, .certificationData))
        (qeReport, qeReportSignature, qeAuthData, pckCertificateChainPEM) = try Self.readQEReportParts(&inner)
        guard inner.remaining == 0 else {
            throw .certificationDataSizeMismatch(declared: size, parsed: Int(size) - inner.remaining)
        }
    }

    /// QE report, its signature, the QE auth data and the nested type-5 PCK chain, in that order.
    private static func readQEReportParts(
        _ reader: inout ByteReader
    ) throws(QuoteParseError) -> (SGXReportBody, [UInt8], [UInt8], [UInt8]) {
        let report = try SGXReportBody(reading: &reader, field: .qeReport)
        let signature = try reader.read(64, .qeReportSignature)
        let authLength = try reader.readUInt16(.qeAuthDataLength)
        let auth = try reader.readBlock(length: UInt32(authLength), .qeAuthData)
        let type = try reader.readUInt16(.pckCertificationDataHeader)
        guard type == pckChainType else {
            throw .unexpectedCertificationDataType(found: type, expected: pckChainType)
        }
        let size = try reader.readUInt32(.pckCertificationDataHeader)
        let chain = try reader.readBlock(length: size, .pckCertificationData)
        return (report, signature, auth, chain)
    }
}
