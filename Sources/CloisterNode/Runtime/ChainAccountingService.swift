import ChainClient
import CloisterClient
import Ethereum
import Logging
import Prometheus
import ServiceLifecycle

/// Publishes what the operator is owed and how the RPC endpoints fare, on the node's `/metrics`:
/// `cloister_credits_wei` (fees, refunds and slash shares credited on chain and not yet withdrawn),
/// `cloister_operator_balance_wei`, and per endpoint `cloister_rpc_requests`, `cloister_rpc_failures`
/// and `cloister_rpc_endpoint_benched`.
struct ChainAccountingService: Service {

    let client: RPCClient
    let deployment: Deployment
    let operatorAddress: Address
    let registry: PrometheusCollectorRegistry
    let interval: Duration
    let logger: Logger

    func run() async throws {
        let credits = registry.makeGauge(
            name: "cloister_credits_wei", labels: [],
            help: "Wei credited to the operator on chain (fees, refunds, slash shares), not yet withdrawn.")
        let balance = registry.makeGauge(name: "cloister_operator_balance_wei", labels: [], help: "The operator wallet's balance in wei.")
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            for endpoint in await client.endpointStatuses() {
                let labels = [("endpoint", endpoint.label)]
                registry.makeGauge(name: "cloister_rpc_requests", labels: labels, help: "JSON-RPC attempts sent to the endpoint.")
                    .set(Int64(endpoint.requests))
                registry.makeGauge(name: "cloister_rpc_failures", labels: labels, help: "JSON-RPC attempts to the endpoint that failed.")
                    .set(Int64(endpoint.failures))
                registry.makeGauge(name: "cloister_rpc_endpoint_benched", labels: labels, help: "1 while the endpoint is benched after failures.")
                    .set(Int64(endpoint.isBenched ? 1 : 0))
            }
            do {
                credits.set(Self.wei(try await client.credits(of: operatorAddress, in: deployment)))
                balance.set(Self.wei(try await client.getBalance(operatorAddress)))
            } catch {
                logger.debug("could not read the operator's credits", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// Wei as a gauge value (gauges are 64-bit floats; precision beyond 2^53 wei is not needed for a display).
    static func wei(_ amount: UInt256) -> Double {
        amount.bytes32.bytes.reduce(0.0) { $0 * 256 + Double($1) }
    }
}
