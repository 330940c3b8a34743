import Attestation
import Testing

/// Known answers computed independently with eth-utils' keccak (PyPI) over the fixture bytes:
/// TDX: keccak256(quote[168..<568]) (TDATTRIBUTES, XFAM, MRTD, MRCONFIGID, MROWNER, MROWNERCONFIG, RTMR0..3);
/// SGX: keccak256(quote[64..<68] ‖ quote[96..<144] ‖ quote[176..<208] ‖ quote[304..<306])
/// (MISCSELECT, ATTRIBUTES, MRENCLAVE, MRSIGNER, ISVPRODID).
@Suite struct WorkloadIDTests {
    @Test func tdxWorkloadIDCoversAttributesConfigurationAndMeasurements() throws {
        let quote = try Quote(bytes: DCAPFixtures.bytes("tdx_quote"))
        #expect(quote.body.workloadID.hex == "0x8d0bb95ec373fdf1a2543f3605b8181d95b6445245f418b1fbeb7ff2d8d5a07a")
    }

    @Test func sgxWorkloadIDCoversAttributesSignerAndProduct() throws {
        let quote = try Quote(bytes: DCAPFixtures.bytes("sgx_quote"))
        #expect(quote.body.workloadID.hex == "0x4df4f17e370990cac37b6727fe3907210bdd09aeebb4f48ba56a880a8ae5c482")
    }

    @Test func aDebugBuildHasAnotherWorkloadID() throws {
        var bytes = try DCAPFixtures.bytes("tdx_quote")
        let production = try Quote(bytes: bytes).body.workloadID
        bytes[168] |= 0x01  // TDATTRIBUTES.DEBUG
        let debug = try Quote(bytes: bytes)
        #expect(debug.body.isDebug)
        #expect(debug.body.workloadID != production)
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
