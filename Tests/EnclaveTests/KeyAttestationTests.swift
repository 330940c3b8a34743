import Attestation
import Enclave
import Ethereum
import Foundation
import Testing

/// The keyring's REPORTDATA through the simulated TDX provider and the real DCAP verifier.
@Suite struct KeyAttestationTests {
    let issued = Date(timeIntervalSince1970: 1_780_000_000)

    @Test func quoteBindsTheCurrentSignerAndVerifiesUnderTheSimulationRoot() async throws {
        let directory = try KeyringDirectory()
        let keyring = try directory.keyring()
        let provider = try SimulatedTDXProvider(
            consent: SimulationConsent(chainID: 31_337, acknowledgement: SimulationConsent.acknowledgement),
            seed: Array("enclave attestation test".utf8), announce: { _ in })
        let extData = AttestationExtData(
            chainID: 31_337, registry: try Address(hex: "0x5fbdb2315678afecb367f032d93f642f64180aa3"),
            operatorAddress: try Address(hex: "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"),
            softwareVersion: Keccak256.hash(Array("cloister test".utf8)), expiry: 1_780_086_400)
        let attestation = try await keyring.attest(extData: extData, using: provider)
        let signer = await keyring.signer
        #expect(attestation.reportData.signer == signer)

        let verdict = try await DCAPVerifier(trustAnchor: provider.pki.trustAnchor)
            .verify(quote: attestation.quote, collateral: provider.collateral(issued: issued), at: issued.addingTimeInterval(60))
        let quoted = try ReportData(bytes: verdict.quote.body.reportData)
        #expect(quoted == attestation.reportData)
        #expect(quoted.binds(signer: signer, extData: extData))
        var otherOperator = extData
        otherOperator.operatorAddress = try Address(hex: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8")
        #expect(!quoted.binds(signer: signer, extData: otherOperator), "another account cannot register this quote")
        #expect(Array(attestation.quote[568..<632]) == attestation.reportData.bytes, "REPORTDATA at the TDX v4 offset the registry reads")

        // After rotation the old quote no longer vouches for the current signer: the key must re-attest.
        try await keyring.rotate()
        #expect(!quoted.binds(signer: await keyring.signer, extData: extData))
        let renewed = try await keyring.attest(extData: extData, using: provider)
        #expect(renewed.reportData.signer == (await keyring.signer))
    }
}
