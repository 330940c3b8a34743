/// Something that produces DCAP quotes over chosen REPORTDATA: a real TEE, or the simulation.
public protocol AttestationProvider: Sendable {
    /// What produces the quotes; a node announces `.simulatedTDX` loudly.
    var kind: AttestationProviderKind { get }

    /// A raw quote whose REPORTDATA is `reportData` (exactly 64 bytes; Cloister's layout is
    /// signer address ‖ keccak256(extData) ‖ zeros, built by the Enclave module).
    func quote(reportData: [UInt8]) async throws(AttestationProviderError) -> [UInt8]
}

/// The origin of a provider's quotes.
public enum AttestationProviderKind: Sendable, Equatable {
    /// Hardware quotes through Linux configfs-tsm; the associated value is the kernel's provider name.
    case configFSTSM(provider: String)
    /// Quotes from the local simulation PKI: worthless as evidence.
    case simulatedTDX(chainID: UInt64)

    public var isSimulated: Bool {
        if case .simulatedTDX = self { return true }
        return false
    }
}

/// Why a provider could not produce a quote.
public enum AttestationProviderError: Error, Equatable, Sendable, CustomStringConvertible {
    case reportDataSize(Int)
    case unavailable(path: String, reason: String)
    case wrongProvider(expected: String, found: String)
    case generationConflict(expected: UInt64, found: UInt64)
    case emptyQuote
    case simulationFailed(String)

    public var description: String {
        switch self {
        case .reportDataSize(let n): "REPORTDATA must be 64 bytes, got \(n)"
        case let .unavailable(path, reason): "configfs-tsm unavailable at \(path): \(reason)"
        case let .wrongProvider(expected, found): "configfs-tsm provider is \"\(found)\", expected \"\(expected)\""
        case let .generationConflict(expected, found):
            "configfs-tsm report generation is \(found), expected \(expected): another writer changed the request"
        case .emptyQuote: "the TEE returned an empty quote"
        case .simulationFailed(let why): "simulated quote generation failed: \(why)"
        }
    }
}
