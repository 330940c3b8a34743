@testable import Attestation
import Foundation
import Testing
import X509

@Suite struct SimulatedTDXTests {
    static let seed = Array("cloister simulated TDX test seed".utf8)
    let issued = Date(timeIntervalSince1970: 1_780_000_000)
    var now: Date { issued.addingTimeInterval(3_600) }

    func provider() throws -> SimulatedTDXProvider {
        try SimulatedTDXProvider(
            consent: SimulationConsent(chainID: 31_337, acknowledgement: SimulationConsent.acknowledgement),
            seed: Self.seed, announce: { _ in })
    }

    /// signer address ‖ extData hash ‖ zeros, as the Enclave module lays it out.
    func reportData() -> [UInt8] {
        [UInt8](repeating: 0xab, count: 20) + [UInt8](repeating: 0xcd, count: 32) + [UInt8](repeating: 0, count: 12)
    }

    @Test func simulatedQuoteVerifiesOnlyUnderTheSimulationRoot() async throws {
        let provider = try provider()
        let quote = try await provider.quote(reportData: reportData())
        let collateral = try provider.collateral(issued: issued)
        let expectedReportData = reportData()
        let verdict = try await DCAPVerifier(trustAnchor: provider.pki.trustAnchor).verify(
            quote: quote, collateral: collateral, at: now)
        #expect(verdict.status == .upToDate)
        #expect(verdict.advisoryIDs.isEmpty)
        #expect(!verdict.trustAnchorIsIntel)
        #expect(verdict.fmspc == SimulatedPlatform().fmspc)
        #expect(verdict.body.reportData == expectedReportData)
        #expect(Array(quote[568..<632]) == expectedReportData, "REPORTDATA at the v4 offset")

        // Under the pinned Intel root, neither the simulation's collateral nor Intel's own accepts it.
        await #expect(throws: DCAPVerificationError.crlIssuerMismatch(.rootCACRL)) {
            try await DCAPVerifier().verify(quote: quote, collateral: collateral, at: now)
        }
        let withIntelCollateral = await #expect(throws: DCAPVerificationError.self) {
            try await DCAPVerifier().verify(
                quote: quote, collateral: DCAPFixtures.collateral("tdx_quote_collateral.json"),
                at: DCAPFixtures.insideWindow)
        }
        guard case .certificateChainUntrusted(.pck, _)? = withIntelCollateral else {
            Issue.record("expected the PCK chain to be untrusted, got \(String(describing: withIntelCollateral))")
            return
        }
    }

    @Test func simulatedQuoteHasTheV4Layout() async throws {
        let bytes = try await provider().quote(reportData: reportData())
        let quote = try Quote(bytes: bytes)
        #expect(quote.header.version == 4)
        #expect(quote.header.teeType == .tdx)
        #expect(quote.trailingByteCount == 0)
        #expect(quote.signedBytes.count == QuoteHeader.size + TDReportBody.size10)
        guard case .td(let body) = quote.body else { Issue.record("not a TD report"); return }
        #expect(body.mrTD == SimulatedPlatform().mrTD)
        #expect(body.rtmrs == SimulatedPlatform().rtmrs)
        #expect(!body.isDebug)
    }

    @Test func realIntelQuoteIsRejectedUnderAnotherRoot() async throws {
        let anchor = try provider().pki.trustAnchor
        let error = await #expect(throws: DCAPVerificationError.self) {
            try await DCAPVerifier(trustAnchor: anchor).verify(
                quote: DCAPFixtures.bytes("tdx_quote"), collateral: DCAPFixtures.collateral("tdx_quote_collateral.json"),
                at: DCAPFixtures.insideWindow)
        }
        switch error {
        case .crlIssuerMismatch(.rootCACRL)?, .certificateChainUntrusted?: break
        default: Issue.record("expected the wrong root to be refused, got \(String(describing: error))")
        }
    }

    @Test func revokedPCKCertificateIsRejected() async throws {
        let pki = try provider().pki
        let collateral = try pki.collateral(
            issued: issued, validity: 86_400, tcbInfoFMSPC: pki.platform.fmspc,
            revokedPCKSerials: [Array(pki.pckCertificate.serialNumber.bytes)])
        let quote = try pki.tdxQuote(reportData: reportData())
        let error = await #expect(throws: DCAPVerificationError.self) {
            try await DCAPVerifier(trustAnchor: pki.trustAnchor).verify(quote: quote, collateral: collateral, at: now)
        }
        guard case .certificateRevoked(.pck, _)? = error else {
            Issue.record("expected the PCK certificate to be revoked, got \(String(describing: error))")
            return
        }
    }

    @Test func revokedIntermediateCAIsRejectedThroughTheRootCRL() async throws {
        let pki = try provider().pki
        var collateral = try pki.collateral(issued: issued)
        collateral.rootCACRL = try CertificateRevocationList.signedDER(
            issuer: pki.rootCertificate.subject, thisUpdate: issued, nextUpdate: issued.addingTimeInterval(86_400),
            revokedSerialNumbers: [Array(pki.platformCACertificate.serialNumber.bytes)], key: pki.rootKey)
        let quote = try pki.tdxQuote(reportData: reportData())
        let error = await #expect(throws: DCAPVerificationError.self) {
            try await DCAPVerifier(trustAnchor: pki.trustAnchor).verify(quote: quote, collateral: collateral, at: now)
        }
        guard case .certificateRevoked? = error else {
            Issue.record("expected a revoked CA, got \(String(describing: error))")
            return
        }
    }

    @Test func mismatchedFMSPCIsRejected() async throws {
        let pki = try provider().pki
        let collateral = try pki.collateral(
            issued: issued, validity: 86_400, tcbInfoFMSPC: [0xb0, 0xc0, 0x6f, 0, 0, 0], revokedPCKSerials: [])
        let quote = try pki.tdxQuote(reportData: reportData())
        await #expect(throws: DCAPVerificationError.fmspcMismatch(pck: "005EC1000000", tcbInfo: "B0C06F000000")) {
            try await DCAPVerifier(trustAnchor: pki.trustAnchor).verify(quote: quote, collateral: collateral, at: now)
        }
    }

    @Test func collateralOutsideItsWindowIsRejected() async throws {
        let provider = try provider()
        let quote = try await provider.quote(reportData: reportData())
        let collateral = try provider.collateral(issued: issued)
        let verifier = DCAPVerifier(trustAnchor: provider.pki.trustAnchor)
        await #expect(throws: DCAPVerificationError.self) {
            try await verifier.verify(quote: quote, collateral: collateral, at: issued.addingTimeInterval(-60))
        }
        await #expect(throws: DCAPVerificationError.self) {
            try await verifier.verify(quote: quote, collateral: collateral, at: issued.addingTimeInterval(31 * 86_400))
        }
    }

    @Test func descriptionsNameTheRootAndNoKeys() throws {
        let provider = try provider()
        let rootKeyHex = provider.pki.rootKey.rawRepresentation.map { String(format: "%02x", $0) }.joined()
        for text in [String(describing: provider), String(reflecting: provider), "\(provider.pki)"] {
            #expect(text.contains("Cloister Simulated SGX Root CA"))
            #expect(!text.contains(rootKeyHex))
        }
    }

    @Test func keysFollowTheSeed() throws {
        let a = try SimulationPKI(seed: Self.seed)
        let b = try SimulationPKI(seed: Self.seed)
        let c = try SimulationPKI(seed: Array("another seed".utf8))
        #expect(a.rootCertificate.publicKey == b.rootCertificate.publicKey)
        #expect(a.pckCertificate.serialNumber == b.pckCertificate.serialNumber)
        #expect(a.attestationKey.publicKey.rawRepresentation == b.attestationKey.publicKey.rawRepresentation)
        #expect(a.rootCertificate.publicKey != c.rootCertificate.publicKey)
        let ext = try SGXPCKExtension(certificate: a.pckCertificate)
        #expect(ext.fmspc == a.platform.fmspc)
        #expect(ext.tcbComponents == a.platform.sgxTCBComponents)
        #expect(ext.pceSVN == a.platform.pceSVN)
    }
}
