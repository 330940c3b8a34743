import Attestation
import Testing

@Suite struct DCAPVerifierTests {
    let verifier = DCAPVerifier()

    @Test func tdxQuoteIsUpToDate() async throws {
        let verdict = try await verifier.verify(
            quote: DCAPFixtures.bytes("tdx_quote"), collateral: DCAPFixtures.collateral("tdx_quote_collateral.json"),
            at: DCAPFixtures.insideWindow)
        #expect(verdict.status == .upToDate)
        #expect(verdict.advisoryIDs.isEmpty)
        #expect(verdict.fmspc.hex.uppercased() == "B0C06F000000")
        #expect(verdict.trustAnchorIsIntel)
        #expect(verdict.tdxModuleAssessment?.status == .upToDate)
    }

    @Test func sgxQuoteNeedsConfigurationAndSoftwareHardening() async throws {
        let verdict = try await verifier.verify(
            quote: DCAPFixtures.bytes("sgx_quote"), collateral: DCAPFixtures.collateral("sgx_quote_collateral.json"),
            at: DCAPFixtures.insideWindow)
        #expect(verdict.status == .configurationAndSWHardeningNeeded)
        #expect(verdict.advisoryIDs == ["INTEL-SA-00289", "INTEL-SA-00615"])
        #expect(verdict.fmspc.hex.uppercased() == "00A067110000")
        #expect(verdict.qeAssessment.status == .upToDate)
        #expect(verdict.tdxModuleAssessment == nil)
    }

    @Test(arguments: ["tdx", "sgx"])
    func expiredTCBInfoFails(kind: String) async throws {
        let error = await #expect(throws: DCAPVerificationError.self) {
            try await verifier.verify(
                quote: DCAPFixtures.bytes("\(kind)_quote"), collateral: DCAPFixtures.collateral("\(kind)_quote_collateral.json"),
                at: DCAPFixtures.afterExpiry)
        }
        guard case .collateralExpired(.tcbInfo, _)? = error else {
            Issue.record("expected TCB info expiry, got \(String(describing: error))")
            return
        }
    }

    /// Offset 600 is inside the TDX REPORTDATA (signed by the attestation key) and inside the SGX quote's
    /// QE report (signed by the PCK key), so each quote fails on a different signature.
    @Test(arguments: [("tdx", DCAPVerificationError.quoteSignatureInvalid), ("sgx", .qeReportSignatureInvalid)])
    func flippedBitAtOffset600(kind: String, expected: DCAPVerificationError) async throws {
        var bytes = try DCAPFixtures.bytes("\(kind)_quote")
        bytes[600] ^= 0x01
        await #expect(throws: expected) {
            try await verifier.verify(
                quote: bytes, collateral: DCAPFixtures.collateral("\(kind)_quote_collateral.json"),
                at: DCAPFixtures.insideWindow)
        }
    }

    @Test func truncatedQuoteIsMalformed() async throws {
        let bytes = Array(try DCAPFixtures.bytes("tdx_quote").prefix(1000))
        let error = await #expect(throws: DCAPVerificationError.self) {
            try await verifier.verify(
                quote: bytes, collateral: DCAPFixtures.collateral("tdx_quote_collateral.json"),
                at: DCAPFixtures.insideWindow)
        }
        switch error {
        case .quoteMalformed(.truncated)?, .quoteMalformed(.declaredLengthTooLarge)?: break
        default: Issue.record("expected a truncation error, got \(String(describing: error))")
        }
    }

    @Test func collateralOfTheOtherQuoteIsRejected() async throws {
        await #expect(throws: DCAPVerificationError.self) {
            try await verifier.verify(
                quote: DCAPFixtures.bytes("sgx_quote"),
                collateral: DCAPFixtures.collateral("tdx_quote_collateral.json"),
                at: DCAPFixtures.insideWindow)
        }
    }

    @Test func tamperedTCBInfoSignatureIsRejected() async throws {
        var collateral = try DCAPFixtures.collateral("tdx_quote_collateral.json")
        collateral.tcbInfo = collateral.tcbInfo.replacingOccurrences(of: "\"OutOfDate\"", with: "\"UpToDate\"")
        await #expect(throws: DCAPVerificationError.collateralSignatureInvalid(.tcbInfo)) {
            try await verifier.verify(
                quote: DCAPFixtures.bytes("tdx_quote"), collateral: collateral,
                at: DCAPFixtures.insideWindow)
        }
    }
}
