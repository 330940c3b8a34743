import AsyncHTTPClient
import ChainClient
import CloisterClient
import Ethereum
import Logging
import CloisterConfiguration

/// What every node command starts from: the validated configuration, the deployment it names, and a
/// JSON-RPC client over its endpoints that has checked the chain id.
struct NodeContext: Sendable {
    let configuration: NodeConfiguration
    let deployment: Deployment
    let client: RPCClient

    static func open(_ configuration: NodeConfiguration) async throws -> NodeContext {
        let deployment = try Deployment.load(path: configuration.chain.deploymentFile)
        guard deployment.chainID == configuration.chain.chainID else {
            throw NodeContextError.chainMismatch(
                what: "deployment file \(configuration.chain.deploymentFile)",
                found: deployment.chainID, expected: configuration.chain.chainID)
        }
        let endpoints = configuration.chain.rpcURLs.map { EndpointConfiguration(url: $0) }
        let reported = try await probe(endpoints)
        let client = try RPCClient(
            configuration: RPCClientConfiguration(
                endpoints: endpoints, requestTimeout: .milliseconds(Int64(configuration.chain.requestTimeoutMilliseconds))))
        guard reported == configuration.chain.chainID else {
            throw NodeContextError.chainMismatch(what: "the JSON-RPC endpoint", found: reported, expected: configuration.chain.chainID)
        }
        return NodeContext(configuration: configuration, deployment: deployment, client: client)
    }
}

extension NodeContext {
    /// The chain id from the first endpoint that answers, each asked once with a short timeout: a chain
    /// that is down or a wrong port is one line within seconds, naming what was tried, rather than the
    /// running client's patient retries.
    static func probe(_ endpoints: [EndpointConfiguration], timeout: Duration = .seconds(3)) async throws -> UInt64 {
        var failures: [String] = []
        for endpoint in endpoints {
            let client = try RPCClient(
                configuration: RPCClientConfiguration(
                    endpoints: [endpoint], requestTimeout: timeout,
                    retry: RetryPolicy(maxAttempts: 1)))
            do { return try await client.chainId() } catch { failures.append("\(error)") }
        }
        throw NodeContextError.chainUnreachable(failures)
    }
}

/// Why the node's context could not be opened.
enum NodeContextError: Error, CustomStringConvertible {
    case chainMismatch(what: String, found: UInt64, expected: UInt64)
    case chainUnreachable([String])

    var description: String {
        switch self {
        case let .chainMismatch(what, found, expected):
            "\(what) is on chain \(found), not \(expected): point chain.rpc, chain.chain_id and the deployment file at the same chain"
        case .chainUnreachable(let failures):
            "no chain.rpc endpoint answered: \(failures.joined(separator: "; ")). Fix: start the chain's node, or correct chain.rpc"
        }
    }
}
