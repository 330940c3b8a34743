import Attestation
import Testing

@Suite struct SimulationConsentTests {
    /// Public networks, and chain ids nobody has heard of yet: only the local list is allowed.
    @Test(arguments: [1, 10, 56, 137, 8453, 42161, 43114, 11_155_111, 17000, 560_048, 31338, 999_999_999] as [UInt64])
    func everyChainButTheLocalOnesIsRefused(chainID: UInt64) {
        #expect(throws: SimulationRefusal.self) {
            try SimulationConsent(chainID: chainID, acknowledgement: SimulationConsent.acknowledgement)
        }
    }

    @Test func theAcknowledgementMustBeExact() {
        #expect(throws: SimulationRefusal.notAcknowledged) {
            try SimulationConsent(chainID: 31_337, acknowledgement: "yes")
        }
        #expect(throws: SimulationRefusal.notAcknowledged) {
            try SimulationConsent(chainID: 31_337, acknowledgement: "")
        }
    }

    @Test func aLocalChainWithTheAcknowledgementIsAllowedAndAnnounced() throws {
        let consent = try SimulationConsent(chainID: 31_337, acknowledgement: SimulationConsent.acknowledgement)
        final class Announcements: @unchecked Sendable { var lines: [String] = [] }
        let heard = Announcements()
        let provider = try SimulatedTDXProvider(consent: consent, seed: [1, 2, 3], announce: { heard.lines.append($0) })
        #expect(provider.kind == .simulatedTDX(chainID: 31_337))
        #expect(provider.kind.isSimulated)
        #expect(heard.lines == [consent.banner])
        #expect(consent.banner.contains("SIMULATED ATTESTATION"))
    }

    @Test func theFactoryRefusesSimulationOnPublicChainsAndDefaultsToHardware() throws {
        let simulated = AttestationMode.simulatedTDX(seed: [1], acknowledgement: SimulationConsent.acknowledgement)
        #expect(throws: SimulationRefusal.notALocalChain(chainID: 8453)) {
            try AttestationProviderFactory.make(simulated, chainID: 8453, announce: { _ in })
        }
        let local = try AttestationProviderFactory.make(simulated, chainID: 1337, announce: { _ in })
        #expect(local.kind == .simulatedTDX(chainID: 1337))
        let hardware = try AttestationProviderFactory.make(.configFSTSM(), chainID: 1)
        #expect(hardware.kind == .configFSTSM(provider: "tdx_guest"))
        #expect(!hardware.kind.isSimulated)
    }
}
