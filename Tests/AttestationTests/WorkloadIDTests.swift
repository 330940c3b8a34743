import Attestation
import Testing

/// Known answers computed independently with eth-utils' keccak (PyPI) over the fixture bytes:
/// TDX: keccak256(quote[184..<232] ‖ quote[376..<568]) (MRTD, RTMR0..3); SGX: keccak256(quote[112..<144]).
@Suite struct WorkloadIDTests {
    @Test func tdxWorkloadIDHashesMRTDAndTheFourRTMRs() throws {
        let quote = try Quote(bytes: DCAPFixtures.bytes("tdx_quote"))
        #expect(quote.body.workloadID.hex == "0xa8ae609a0a7e82e306a02f2b04cdeb621d1e27a57dad680150f49b3b2492de0b")
    }

    @Test func sgxWorkloadIDHashesMRENCLAVE() throws {
        let quote = try Quote(bytes: DCAPFixtures.bytes("sgx_quote"))
        #expect(quote.body.workloadID.hex == "0xa285f98c86e45a3809bed196c31a54e17456dcf5afed16e2f2dec86a991b3a05")
    }

    @Test func summariesSplitReportDataAndListTheChain() async throws {
        let quote = try Quote(bytes: DCAPFixtures.bytes("tdx_quote"))
        let summary = QuoteSummary(quote)
        #expect(summary.reportDataSignerAddress == "0x9a9d48e7f6799642d3d1b34e1e5e1742d4bb02dd")
        #expect(summary.reportDataExtDataHash == "0x6ddd551862c1211d35c304f9eca3efdbb481601c163cf52493d6e44aed55d51e")
        #expect(summary.pckCertificateSubjects.count == 3)
        #expect(summary.pckCertificateSubjects.first?.contains("Intel SGX PCK Certificate") == true)
        #expect(summary.bodyFieldOrder.first == "TEE_TCB_SVN")
        #expect(summary.trailingBytes == 70)

        let verdict = try await DCAPVerifier().verify(
            quote, collateral: DCAPFixtures.collateral("tdx_quote_collateral.json"), at: DCAPFixtures.insideWindow)
        let verification = VerificationSummary(verdict)
        #expect(verification.status == "UpToDate")
        #expect(verification.fmspc == "B0C06F000000")
        #expect(verification.measurements.keys.sorted() == ["MRTD", "RTMR0", "RTMR1", "RTMR2", "RTMR3"])
        #expect(verification.workloadID == summary.workloadID)
        #expect(verification.trustAnchor == "Intel SGX Root CA")
    }
}
