import Foundation

/// Proof that an operator asked for simulated attestation on purpose, for a chain where it cannot
/// mislead anyone. `SimulatedTDXProvider` can only be built from one of these, and one can only be made by
/// naming a chain id on the list of local development chains and by repeating `acknowledgement` word for
/// word. An allowlist, not a list of public networks to refuse: a new public chain id is refused by default.
public struct SimulationConsent: Sendable, Equatable {
    /// The sentence the configuration must contain verbatim.
    public static let acknowledgement = "simulated attestation proves nothing"

    /// The chain ids of local development chains, the only ones simulation is allowed on.
    public static let localChains: [UInt64: String] = [
        31337: "local development chain (the Cloister devchain, Hardhat, Anvil)",
        1337: "local development chain (geth --dev, Ganache)"
    ]

    /// The chain the node runs against.
    public let chainID: UInt64

    /// Checks the request; call it once at start-up, before any provider exists.
    public init(chainID: UInt64, acknowledgement: String) throws(SimulationRefusal) {
        guard Self.localChains[chainID] != nil else { throw .notALocalChain(chainID: chainID) }
        guard acknowledgement == Self.acknowledgement else { throw .notAcknowledged }
        self.chainID = chainID
    }

    /// The warning to put in logs, `/readyz` and `/v1/status` for as long as simulation is on.
    public var banner: String {
        "SIMULATED ATTESTATION on chain \(chainID): quotes are signed by a local test PKI, not by Intel; "
            + "they prove nothing about the code or the hardware"
    }
}

/// Why simulated attestation was refused.
public enum SimulationRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    case notALocalChain(chainID: UInt64)
    case notAcknowledged

    public var description: String {
        switch self {
        case let .notALocalChain(id):
            "simulated attestation is refused on chain \(id): it is allowed only on local development chains ("
                + SimulationConsent.localChains.keys.sorted().map(String.init).joined(separator: ", ") + ")"
        case .notAcknowledged:
            "simulated attestation needs the acknowledgement \"\(SimulationConsent.acknowledgement)\" in the configuration"
        }
    }
}
