import ChainClient
import CloisterClient
import Ethereum

extension ChainClient {
    /// Whether the core's record of `id` is the hash of this request and fulfilment, that is whether the
    /// result still stands in the state these tuples describe.
    func coreHolds(_ id: Bytes32, request: ABIValue, fulfilment: ABIValue, in deployment: Deployment) async throws -> Bool {
        let output = try await call(CallRequest(to: deployment.core, data: try CloisterContract.requests.encodeCall([.bytes32(id)])))
        return try CloisterContract.requests.decodeResult(output)[0].asBytes32() == Keccak256.hash(ABI.encode([request, fulfilment]))
    }
}
