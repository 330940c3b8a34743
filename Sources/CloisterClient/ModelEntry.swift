import ChainClient
import Ethereum

/// A model as the registry lists it (`models(id)`): its fee, whether its results are re-executed by
/// verifiers (deterministic), and whether it takes requests.
public struct ModelEntry: Hashable, Sendable {
    public let fee: UInt256
    public let deterministic: Bool
    public let enabled: Bool
}

extension RPCClient {
    /// The registry's entry for `model` (an unknown model reads as disabled, fee 0).
    public func model(_ model: Bytes32, in deployment: Deployment) async throws -> ModelEntry {
        let data = try await call(CallRequest(to: deployment.core, data: try CloisterContract.models.encodeCall([.bytes32(model)])))
        let values = try ABI.decode([.uint(bits: 256), .bool, .bool], from: data)
        return ModelEntry(fee: try values[0].asUInt(), deterministic: try values[1].asBool(), enabled: try values[2].asBool())
    }
}
