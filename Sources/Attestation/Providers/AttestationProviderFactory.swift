import Foundation

/// How a node obtains quotes, as its configuration states it.
public enum AttestationMode: Sendable, Equatable {
    /// Real TDX through configfs-tsm (the default).
    case configFSTSM(root: String = ConfigFSTSMProvider.defaultRoot, expectedProvider: String = "tdx_guest")
    /// The simulation: needs the acknowledgement sentence verbatim, and a chain that is not public.
    case simulatedTDX(seed: [UInt8], acknowledgement: String)
}

/// The one call a node makes at start-up to get its provider. Simulation is refused on public chains
/// and without the acknowledgement, and is announced through `announce` (standard error by default);
/// the node shows `kind` (and, when simulated, `SimulationConsent.banner`) on `/readyz` and `/v1/status`.
public enum AttestationProviderFactory {
    public static func make(
        _ mode: AttestationMode, chainID: UInt64,
        announce: (String) -> Void = { FileHandle.standardError.write(Data(("WARNING: " + $0 + "\n").utf8)) }
    ) throws -> any AttestationProvider {
        switch mode {
        case let .configFSTSM(root, expectedProvider):
            return ConfigFSTSMProvider(root: root, expectedProvider: expectedProvider)
        case let .simulatedTDX(seed, acknowledgement):
            let consent = try SimulationConsent(chainID: chainID, acknowledgement: acknowledgement)
            return try SimulatedTDXProvider(consent: consent, seed: seed, announce: announce)
        }
    }
}
