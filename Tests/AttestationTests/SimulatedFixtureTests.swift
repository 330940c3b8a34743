import Attestation
import Testing

/// The committed output of scripts/gen_simulated_dcap.sh (dcap-qvl accepts it too: tests/attestation).
@Suite struct SimulatedFixtureTests {
    func load() throws -> (quote: [UInt8], collateral: QuoteCollateral, anchor: TrustAnchor) {
        let root = String(decoding: try DCAPFixtures.bytes("simulated/root_ca.pem"), as: UTF8.self)
        return (
            try DCAPFixtures.bytes("simulated/quote"), try DCAPFixtures.collateral("simulated/collateral.json"),
            try TrustAnchor.nonProduction(pemEncoded: root)
        )
    }

    @Test func verifiesUnderItsRootOnly() async throws {
        let (quote, collateral, anchor) = try load()
        let time = try DCAPFixtures.date("2026-01-02T00:00:00Z")
        let verdict = try await DCAPVerifier(trustAnchor: anchor).verify(quote: quote, collateral: collateral, at: time)
        #expect(verdict.status == .upToDate)
        #expect(!verdict.trustAnchorIsIntel)
        #expect(
            verdict.body.reportData == [UInt8](repeating: 0x11, count: 20) + [UInt8](repeating: 0x22, count: 32)
                + [UInt8](repeating: 0, count: 12))
        await #expect(throws: DCAPVerificationError.crlIssuerMismatch(.rootCACRL)) {
            try await DCAPVerifier().verify(quote: quote, collateral: collateral, at: time)
        }
    }

    @Test func theSeedDeterminesTheRootKey() throws {
        let pki = try SimulationPKI(seed: Array("cloister simulated TDX fixture".utf8))
        #expect(pki.trustAnchor.certificate.publicKey == (try load().anchor.certificate.publicKey))
    }
}
