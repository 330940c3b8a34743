import Foundation

/// A TDX attestation provider for machines without a TEE: quotes and collateral come from a
/// `SimulationPKI` derived from a seed. It can only be built from a `SimulationConsent`, and announces
/// itself through `announce` when built (standard error by default).
public struct SimulatedTDXProvider: AttestationProvider {
    public let consent: SimulationConsent
    public let pki: SimulationPKI

    public var kind: AttestationProviderKind { .simulatedTDX(chainID: consent.chainID) }

    public init(
        consent: SimulationConsent, seed: [UInt8], platform: SimulatedPlatform = SimulatedPlatform(),
        announce: (String) -> Void = { FileHandle.standardError.write(Data(("WARNING: " + $0 + "\n").utf8)) }
    ) throws(AttestationProviderError) {
        self.consent = consent
        do {
            pki = try SimulationPKI(seed: seed, platform: platform)
        } catch {
            throw .simulationFailed("\(error)")
        }
        announce(consent.banner)
    }

    public func quote(reportData: [UInt8]) async throws(AttestationProviderError) -> [UInt8] {
        guard reportData.count == 64 else { throw .reportDataSize(reportData.count) }
        do {
            return try pki.tdxQuote(reportData: reportData)
        } catch {
            throw .simulationFailed("\(error)")
        }
    }

    /// Collateral matching this provider's quotes, valid from `issued` for 30 days.
    public func collateral(issued: Date) throws(AttestationProviderError) -> QuoteCollateral {
        do {
            return try pki.collateral(issued: issued)
        } catch {
            throw .simulationFailed("\(error)")
        }
    }
}
