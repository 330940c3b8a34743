import AsyncHTTPClient
import Ethereum
import Testing
@testable import ChainClient

/// The client behind `scripts/rpc_fault_proxy.py` (errors, timeouts, 429/5xx, truncated and wrong
/// answers injected in front of a real devchain) still gets every answer right.
struct FaultProxyTests {
    private func proxiedClient(_ urls: [String]) throws -> RPCClient {
        try RPCClient(
            configuration: RPCClientConfiguration(
                endpoints: urls.map { EndpointConfiguration(url: $0) }, requestTimeout: .milliseconds(500),
                retry: RetryPolicy(maxAttempts: 12, initialBackoff: .milliseconds(5), maxBackoff: .milliseconds(50)),
                health: HealthPolicy(failureThreshold: 1_000, coolDown: .seconds(1))))
    }

    @Test func everyAnswerIsRightDespiteFaults() async throws {
        let direct = try await Devchain.client()
        let proxy = try await FaultProxy.start(upstream: try await Devchain.url(), faultRate: 0.35, seed: 2026)
        let client = try proxiedClient([proxy.url])
        let account = try DevAccount(9).address
        let genesis = try await direct.getBlock(.number(0))
        let balance = try await direct.getBalance(account)
        for _ in 0..<12 {
            #expect(try await client.chainId() == Devchain.chainID)
            #expect(try await client.getBlock(.number(0)) == genesis)
            #expect(try await client.getBalance(account) == balance)
            let batch = try await client.batch([RPCMethod.getBalance(account, .latest), .getBalance(account, .earliest)])
            #expect(try batch.map { try $0.get() } == [balance, balance])
        }
        let sender = try DevAccount(4)
        let signed = try await sender.signTransfer(client: direct, to: account, value: 1)
        let hash = try await client.sendRawTransaction(signed.rawBytes)
        #expect(hash == signed.hash)
        let receipt = try #require(try await client.getTransactionReceipt(hash))
        #expect(receipt.succeeded && receipt.transactionHash == hash)
        let stats = try await Self.stats(proxy.url)
        #expect(stats.contains("\"faults\""))
        let statuses = await client.endpointStatuses()
        #expect(statuses[0].failures > 5, "the proxy must actually have injected faults")
        await proxy.stop()
    }

    @Test func secondEndpointTakesOverWhenTheProxyDies() async throws {
        let proxy = try await FaultProxy.start(upstream: try await Devchain.url(), faultRate: 0, seed: 1)
        let client = try RPCClient(
            configuration: RPCClientConfiguration(
                endpoints: [EndpointConfiguration(url: proxy.url), EndpointConfiguration(url: try await Devchain.url())],
                retry: RetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(5), maxBackoff: .milliseconds(20))))
        #expect(try await client.chainId() == Devchain.chainID)
        await proxy.stop()
        for _ in 0..<5 {
            #expect(try await client.chainId() == Devchain.chainID)
        }
        let statuses = await client.endpointStatuses()
        #expect(statuses[0].isBenched && statuses[1].requests == 5)
    }

    private static func stats(_ url: String) async throws -> String {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url + "/stats"), timeout: .seconds(5))
        return String(buffer: try await response.body.collect(upTo: 1 << 16))
    }
}
