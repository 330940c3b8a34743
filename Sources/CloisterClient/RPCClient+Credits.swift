import ChainClient
import Ethereum

extension RPCClient {
    /// What the Cloister core owes `account` (fees, refunds, slash shares, returned stake), not yet withdrawn.
    public func credits(of account: Address, in deployment: Deployment) async throws -> UInt256 {
        let data = try await call(CallRequest(to: deployment.core, data: try CloisterContract.credits.encodeCall([.address(account)])))
        return try ABI.decode([.uint(bits: 256)], from: data)[0].asUInt()
    }
}
