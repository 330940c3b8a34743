import Foundation

/// Proof that an operator asked for simulated attestation on purpose, for a chain where it cannot
/// mislead anyone. `SimulatedTDXProvider` can only be built from one of these, and one can only be made by
/// naming a chain id that is not a public network and by repeating `acknowledgement` word for word.
public struct SimulationConsent: Sendable, Equatable {
    /// The sentence the configuration must contain verbatim.
    public static let acknowledgement = "simulated attestation proves nothing"

    /// Public networks (mainnets and public testnets) on which simulation is always refused.
    public static let refusedChains: [UInt64: String] = [
        1: "Ethereum mainnet", 10: "OP Mainnet", 56: "BNB Smart Chain", 100: "Gnosis", 137: "Polygon PoS",
        250: "Fantom", 324: "zkSync Era", 1101: "Polygon zkEVM", 5000: "Mantle", 8453: "Base",
        42161: "Arbitrum One", 42170: "Arbitrum Nova", 43114: "Avalanche C-Chain", 59144: "Linea",
        534352: "Scroll", 81457: "Blast", 7777777: "Zora",
        11155111: "Sepolia", 17000: "Holesky", 560048: "Hoodi", 5: "Goerli", 80002: "Polygon Amoy",
        84532: "Base Sepolia", 421614: "Arbitrum Sepolia", 11155420: "OP Sepolia", 43113: "Avalanche Fuji",
        97: "BNB Smart Chain testnet",
    ]

    /// The chain the node runs against.
    public let chainID: UInt64

    /// Checks the request; call it once at start-up, before any provider exists.
    public init(chainID: UInt64, acknowledgement: String) throws(SimulationRefusal) {
        if let name = Self.refusedChains[chainID] { throw .publicChain(chainID: chainID, name: name) }
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
    case publicChain(chainID: UInt64, name: String)
    case notAcknowledged

    public var description: String {
        switch self {
        case let .publicChain(id, name): "simulated attestation is refused on chain \(id) (\(name))"
        case .notAcknowledged:
            "simulated attestation needs the acknowledgement \"\(SimulationConsent.acknowledgement)\" in the configuration"
        }
    }
}
