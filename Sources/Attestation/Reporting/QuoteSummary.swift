import Ethereum
import X509

/// What `cloister attest show` prints: the parsed quote, unverified. REPORTDATA is also split as
/// Cloister lays it out (signer address ‖ extData hash ‖ zeros) and the PCK chain's subjects are listed.
public struct QuoteSummary: Encodable, Sendable {
    public let version: UInt16
    public let teeType: String
    public let attestationKeyType: UInt16
    public let qeVendorID: String
    public let userData: String
    public let body: [String: String]
    /// Field names in display order (JSON objects have none).
    public let bodyFieldOrder: [String]
    public let reportDataSignerAddress: String
    public let reportDataExtDataHash: String
    public let workloadID: String
    public let qeReportMRSigner: String
    public let qeReportISVSVN: UInt16
    public let pckCertificateSubjects: [String]
    public let trailingBytes: Int

    public init(_ quote: Quote) {
        version = quote.header.version
        teeType = quote.header.teeType == .tdx ? "TDX" : "SGX"
        attestationKeyType = quote.header.attestationKeyType
        qeVendorID = Hex.encode(quote.header.qeVendorID)
        userData = Hex.encode(quote.header.userData)
        let fields = quote.body.displayFields
        body = Dictionary(fields.map { ($0.name, $0.hex) }, uniquingKeysWith: { first, _ in first })
        bodyFieldOrder = fields.map(\.name)
        let reportData = quote.body.reportData
        reportDataSignerAddress = Hex.encode(reportData[0..<20])
        reportDataExtDataHash = Hex.encode(reportData[20..<52])
        workloadID = quote.body.workloadID.hex
        qeReportMRSigner = Hex.encode(quote.signatureData.qeReport.mrSigner)
        qeReportISVSVN = quote.signatureData.qeReport.isvSVN
        let pem = String(decoding: quote.signatureData.pckCertificateChainPEM, as: UTF8.self)
        pckCertificateSubjects = ((try? CertificateChainVerifier.certificates(pem: pem, role: .pck)) ?? [])
            .map { $0.subject.description }
        trailingBytes = quote.trailingByteCount
    }

    /// One `name: value` line per field.
    public var text: String {
        var lines = [
            "version: \(version)", "tee: \(teeType)", "attestation key type: \(attestationKeyType)",
            "qe vendor id: \(qeVendorID)", "user data: \(userData)"
        ]
        lines += bodyFieldOrder.map { "\($0): \(body[$0] ?? "")" }
        lines += [
            "reportdata signer address: \(reportDataSignerAddress)",
            "reportdata extData hash: \(reportDataExtDataHash)",
            "workload id: \(workloadID)",
            "qe report mrsigner: \(qeReportMRSigner)", "qe report isvsvn: \(qeReportISVSVN)"
        ]
        lines += pckCertificateSubjects.enumerated().map { "pck chain[\($0.offset)]: \($0.element)" }
        if trailingBytes > 0 { lines.append("trailing bytes after the signature data: \(trailingBytes)") }
        return lines.joined(separator: "\n")
    }
}
