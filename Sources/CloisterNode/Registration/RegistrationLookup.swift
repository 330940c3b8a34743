import ChainClient
import CloisterClient
import Ethereum

/// Finds this enclave's registration on chain from the registry's `NodeAttested` events, so the node
/// keeps no registration state of its own: the chain is the record.
struct RegistrationLookup: Sendable {

    let client: ChainClient
    let deployment: Deployment

    /// The latest attestation of `signer`, provided no later attestation moved its node to another key.
    func registration(of signer: Address) async throws -> NodeRegistration? {
        let signerTopic = Bytes32(ABI.encode([.address(signer)]))!
        let mine = try await client.getLogs(filter(topics: [[CloisterContract.nodeAttested.topic], nil, [signerTopic]]))
        guard let latest = mine.last(where: { !$0.removed }) else { return nil }
        let values = try CloisterContract.nodeAttested.decodeLog(topics: latest.topics, data: latest.data)
        let node = try values[0].asUInt()
        let nodeTopic = Bytes32(ABI.encode([.uint(node)]))!
        let history = try await client.getLogs(filter(topics: [[CloisterContract.nodeAttested.topic], [nodeTopic]]))
        if let newest = history.last(where: { !$0.removed }), newest.topics.count > 2, newest.topics[2] != signerTopic {
            return nil
        }
        return NodeRegistration(nodeID: node, signer: signer, attestationDigest: try values[3].asBytes32(),
                                expiry: try values[6].asUInt().uint64 ?? .max)
    }

    private func filter(topics: [[Bytes32]?]) -> LogFilter {
        LogFilter(addresses: [deployment.core], topics: topics,
                  range: .blocks(from: .number(deployment.deploymentBlock), to: .latest))
    }
}
