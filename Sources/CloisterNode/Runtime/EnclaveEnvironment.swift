import Attestation
import Enclave
import Foundation
import CloisterConfiguration
import Ethereum

/// The trust boundary as the configuration sets it up: the attestation provider, the sealed keyring
/// and where quote collateral comes from. A simulated TEE is built only for `tee = "simulated"` with
/// `allow_simulated = true`, on a chain that is not public, and is announced in logs and status.
struct EnclaveEnvironment: Sendable {
    let provider: any AttestationProvider
    let keyring: EnclaveKeyring
    let collateral: @Sendable () throws -> QuoteCollateral
    /// What the enclave verifies other enclaves' quotes with (before it passes a model key on): the
    /// platform's trust anchor, the simulation's root on a simulated TEE.
    let quoteVerifier: DCAPVerifier
    /// `tdx` or `simulated`, as status shows it.
    let teeName: String
    /// The simulation banner; nil on real hardware.
    let warning: String?

    static func open(_ settings: EnclaveSettings, chainID: UInt64, announce: @escaping (String) -> Void) throws -> EnclaveEnvironment {
        switch settings.tee {
        case .tdx:
            throw EnclaveSetupError.hardwareSealingUnavailable
        case .simulated:
            guard settings.allowSimulated else { throw EnclaveSetupError.simulationNotAllowed }
            let mode = AttestationMode.simulatedTDX(seed: Array(settings.simulationSeed.utf8), acknowledgement: SimulationConsent.acknowledgement)
            guard let provider = try AttestationProviderFactory.make(mode, chainID: chainID, announce: announce) as? SimulatedTDXProvider else {
                throw EnclaveSetupError.simulationNotAllowed
            }
            try FileManager.default.createDirectory(
                atPath: (settings.sealedKeyPath as NSString).deletingLastPathComponent.nonEmptyOr("."),
                withIntermediateDirectories: true)
            let keyring = try EnclaveKeyring(
                path: settings.sealedKeyPath,
                sealing: SimulatedSealingKeySource(secretPath: settings.sealedKeyPath + ".secret"))
            return EnclaveEnvironment(
                provider: provider, keyring: keyring,
                collateral: { try provider.collateral(issued: Date().addingTimeInterval(-3_600)) },
                quoteVerifier: DCAPVerifier(trustAnchor: provider.pki.trustAnchor), teeName: "simulated", warning: provider.consent.banner)
        }
    }

    /// The workload id of this enclave (from a quote of its own key, bound to nothing).
    func ownWorkload() async throws -> Bytes32 {
        try Quote(bytes: try await provider.quote(reportData: [UInt8](repeating: 0, count: 64))).body.workloadID
    }
}

/// Why the enclave could not be set up.
enum EnclaveSetupError: Error, CustomStringConvertible {
    case hardwareSealingUnavailable
    case simulationNotAllowed

    var description: String {
        switch self {
        case .hardwareSealingUnavailable:
            "enclave.tee = \"tdx\": this release has no hardware-backed sealing key for TDX (a TD has no sealing of its own; "
                + "a key broker is needed) and no collateral source, so it cannot run on TDX yet; use tee = \"simulated\" on a development chain"
        case .simulationNotAllowed:
            "a simulated TEE needs enclave.tee = \"simulated\" and enclave.allow_simulated = true, on a chain that is not public"
        }
    }
}

extension String {
    fileprivate func nonEmptyOr(_ fallback: String) -> String { isEmpty ? fallback : self }
}
