import ChainClient
import CloisterClient
import Ethereum

/// Finds this enclave's registration on chain from the registry's views, so the node keeps no
/// registration state of its own: the chain is the record.
struct RegistrationLookup: Sendable {
    let client: RPCClient
    let deployment: Deployment

    /// The registration of `signer`, provided its node still has that key: read from the registry's views
    /// (`signerNode`, then `nodes`), not from a log scan, so an endpoint whose log backend lags behind
    /// cannot hide a registration at start.
    func registration(of signer: Address) async throws -> NodeRegistration? {
        let answer = try await client.call(CallRequest(to: deployment.core, data: try CloisterContract.signerNode.encodeCall([.address(signer)])))
        let node = try CloisterContract.signerNode.decodeResult(answer)[0].asUInt()
        guard node != .zero, let record = try await NodeDirectory(client: client, deployment: deployment).node(node),
            record.signer == signer
        else { return nil }
        return NodeRegistration(nodeID: node, signer: signer, attestationDigest: record.attestationDigest, expiry: record.attestationExpiry)
    }
}
