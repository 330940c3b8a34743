import Crypto
import X509

extension SimulationPKI {
    /// A TDX v4 quote over `reportData` (64 bytes), laid out byte for byte like one from Intel's TD Quoting
    /// Enclave: header, TD report of `platform`, quote signature by the attestation key, QE report signed
    /// by the PCK key and binding the attestation key, and the PEM chain PCK → platform CA → root.
    public func tdxQuote(reportData: [UInt8]) throws -> [UInt8] {
        guard reportData.count == 64 else { throw AttestationProviderError.reportDataSize(reportData.count) }
        var signed = LittleEndianWriter()
        signed.append(UInt16(4))
        signed.append(QuoteHeader.ecdsaP256KeyType)
        signed.append(TEEType.tdx.rawValue)
        signed.zeros(4)
        signed.append(QuoteHeader.intelQEVendorID)
        signed.zeros(20)
        appendTDReport(reportData: reportData, to: &signed)

        let attestationPublicKey = Array(attestationKey.publicKey.rawRepresentation)
        let qeAuthData = keys.bytes("qe-auth-data", count: 32)
        let qeReport = qeReport(binding: attestationPublicKey + qeAuthData)
        let chain =
            try [pckCertificate, platformCACertificate, rootCertificate]
            .map { try $0.serializeAsPEM().pemString }.joined(separator: "\n") + "\n"

        var qeCertification = LittleEndianWriter()
        qeCertification.append(qeReport)
        qeCertification.append(Array(try pckKey.signature(for: qeReport).rawRepresentation))
        qeCertification.append(UInt16(qeAuthData.count))
        qeCertification.append(qeAuthData)
        qeCertification.append(QuoteSignatureData.pckChainType)
        qeCertification.appendSized(Array(chain.utf8) + [0])

        var signature = LittleEndianWriter()
        signature.append(Array(try attestationKey.signature(for: signed.bytes).rawRepresentation))
        signature.append(attestationPublicKey)
        signature.append(QuoteSignatureData.qeReportCertificationType)
        signature.appendSized(qeCertification.bytes)

        var quote = signed
        quote.appendSized(signature.bytes)
        return quote.bytes
    }

    private func appendTDReport(reportData: [UInt8], to writer: inout LittleEndianWriter) {
        writer.append(platform.teeTCBSVN)
        writer.append(keys.bytes("mrseam", count: 48))
        writer.zeros(48)  // MRSIGNERSEAM: Intel-signed modules report zero
        writer.zeros(8)  // SEAMATTRIBUTES
        writer.append(SimulatedPlatform.tdAttributes)
        writer.append(SimulatedPlatform.xfam)
        writer.append(platform.mrTD)
        writer.zeros(48 * 3)  // MRCONFIGID, MROWNER, MROWNERCONFIG
        for rtmr in platform.rtmrs { writer.append(rtmr) }
        writer.append(reportData)
    }

    /// The QE's SGX report: REPORTDATA = SHA-256(attestation key ‖ QE auth data) ‖ 32 zero bytes.
    private func qeReport(binding boundData: [UInt8]) -> [UInt8] {
        var report = LittleEndianWriter()
        report.append(platform.sgxTCBComponents)  // CPUSVN
        report.zeros(4 + 28)  // MISCSELECT, reserved
        report.append(SimulatedPlatform.qeAttributes)
        report.append(keys.bytes("qe-mrenclave", count: 32))
        report.zeros(32)
        report.append(SimulatedPlatform.qeMRSigner)
        report.zeros(96)
        report.append(SimulatedPlatform.qeISVProdID)
        report.append(platform.qeSVN)
        report.zeros(60)
        report.append(Array(SHA256.hash(data: boundData)) + [UInt8](repeating: 0, count: 32))
        return report.bytes
    }
}
