import TestSupport
import Attestation
import Testing

/// Hostile bytes must end in a typed error (or, for harmless changes, the original verdict), never a crash.
@Suite struct HostileQuoteTests {
    @Test func hundredThousandMutatedAndRandomQuotesNeverCrashTheParser() throws {
        let mutator = QuoteMutator(originals: [try DCAPFixtures.bytes("tdx_quote"), try DCAPFixtures.bytes("sgx_quote")])
        var rng = SplitMix64(seed: 0xC10157E4)
        var rejected = 0
        for _ in 0..<100_000 {
            let bytes = mutator.mutate(using: &rng)
            do {
                let quote = try Quote(bytes: bytes)
                #expect(quote.signedBytes.count <= bytes.count)
            } catch {
                rejected += 1
            }
        }
        #expect(rejected > 30_000, "most mutations break the structure; \(rejected) rejected")
    }

    @Test func mutatedQuotesThatStillParseDoNotVerifyUnlessTheChangeWasOutsideTheSignedData() async throws {
        let originals = [
            (try DCAPFixtures.bytes("tdx_quote"), try DCAPFixtures.collateral("tdx_quote_collateral.json")),
            (try DCAPFixtures.bytes("sgx_quote"), try DCAPFixtures.collateral("sgx_quote_collateral.json"))
        ]
        let verifier = DCAPVerifier()
        let time = try DCAPFixtures.insideWindow
        var rng = SplitMix64(seed: 0xDCA9)
        var verifiedAttempts = 0
        while verifiedAttempts < 120 {
            let (original, collateral) = originals[verifiedAttempts % 2]
            let bytes = QuoteMutator(originals: [original]).mutate(using: &rng)
            guard bytes != original, let quote = try? Quote(bytes: bytes) else { continue }
            verifiedAttempts += 1
            let reference = try Quote(bytes: original)
            do {
                let verdict = try await verifier.verify(quote, collateral: collateral, at: time)
                #expect(quote.signedBytes == reference.signedBytes)
                #expect(quote.signatureData.qeReport == reference.signatureData.qeReport)
                #expect(verdict.status == (try await verifier.verify(reference, collateral: collateral, at: time)).status)
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
    }

    @Test func mutatedCRLsParseOrFailWithoutCrashing() throws {
        let tdx = try DCAPFixtures.collateral("tdx_quote_collateral.json")
        let originals = [tdx.rootCACRL, tdx.pckCRL]
        var rng = SplitMix64(seed: 0xC41)
        var rejected = 0
        for _ in 0..<5_000 {
            var bytes = originals[Int.random(in: 0..<2, using: &rng)]
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            if Bool.random(using: &rng) { bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &rng))) }
            do {
                let crl = try CertificateRevocationList(derEncoded: bytes)
                #expect(crl.revokedSerialNumbers.count <= 64)
            } catch {
                rejected += 1
            }
        }
        #expect(rejected > 1_000)
    }
}
