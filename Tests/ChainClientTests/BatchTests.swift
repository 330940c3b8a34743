import Ethereum
import Testing
@testable import ChainClient

/// Batches over real HTTP: answers matched by id in any order, and id mix-ups refused.
struct BatchTests {
    /// Answers each call of a batch with its first parameter as a quantity, in reverse order,
    /// after `edit` has had its say on the list of answers.
    private func echoServer(edit: @escaping @Sendable ([String]) -> [String] = { $0 }) async throws -> ScriptedHTTPServer {
        try await ScriptedHTTPServer { _, body in
            guard case .array(let requests)? = try? ExactJSON.parse(body) else { return .json("{}", status: 400) }
            let answers = requests.reversed().map { request -> String in
                guard let id = request["id"]?.int64, case .array(let params)? = request["params"],
                    let value = params.first?.int64
                else { return "{}" }
                if value == 13 { return #"{"jsonrpc":"2.0","id":\#(id),"error":{"code":-32000,"message":"unlucky"}}"# }
                return #"{"jsonrpc":"2.0","id":\#(id),"result":"\#(Hex.quantity(UInt64(value)))"}"#
            }
            return .json("[" + edit(answers).joined(separator: ",") + "]")
        }
    }

    private func echoCalls(_ values: [Int64]) -> [RPCMethod<UInt64>] {
        values.map { value in RPCMethod(name: "test_echo", params: [.integer(value)]) { reader throws(InvalidResponse) in try reader.uint64() } }
    }

    @Test func matchesAnswersGivenInAnotherOrder() async throws {
        let server = try await echoServer()
        let client = try scriptedClient([server.url])
        let outcomes = try await client.batch(echoCalls([1, 2, 13, 4]))
        #expect(try outcomes[0].get() == 1 && outcomes[1].get() == 2 && outcomes[3].get() == 4)
        #expect(throws: RPCError(code: -32000, message: "unlucky")) { try outcomes[2].get() }
        await server.stop()
    }

    @Test func aRateLimitedCallRetriesTheBatch() async throws {
        // The first answer rate-limits one call (providers do so per call inside a batch); the retry is answered in full.
        let server = try await ScriptedHTTPServer { number, body in
            guard case .array(let calls)? = try? ExactJSON.parse(body) else { return .json("{}", status: 400) }
            let answers = calls.enumerated().map { index, call -> String in
                guard let id = call["id"]?.int64, case .array(let params)? = call["params"],
                    let value = params.first?.int64
                else { return "{}" }
                if number == 1 && index == 1 {
                    return #"{"jsonrpc":"2.0","id":\#(id),"error":{"code":-32005,"message":"rate limit exceeded"}}"#
                }
                return #"{"jsonrpc":"2.0","id":\#(id),"result":"\#(Hex.quantity(UInt64(value)))"}"#
            }
            return .json("[" + answers.joined(separator: ",") + "]")
        }
        let client = try scriptedClient([server.url])
        let outcomes = try await client.batch(echoCalls([5, 6, 7]))
        #expect(try outcomes.map { try $0.get() } == [5, 6, 7])
        #expect(server.requestCount == 2)
        await server.stop()
    }

    @Test func splitsLargeBatches() async throws {
        let server = try await echoServer()
        let client = try RPCClient(
            configuration: RPCClientConfiguration(
                endpoints: [EndpointConfiguration(url: server.url)], maxBatchSize: 3))
        let outcomes = try await client.batch(echoCalls(Array(100..<107)))
        #expect(try outcomes.map { try $0.get() } == Array(100..<107))
        #expect(server.requestCount == 3)
        await server.stop()
    }

    @Test func missingAnswerIsRefused() async throws {
        let server = try await echoServer { Array($0.dropFirst()) }
        let mismatch = try await idMismatch(from: server, calls: [1, 2, 3])
        #expect(mismatch?.missing.count == 1 && mismatch?.duplicated == [] && mismatch?.unexpected == 0)
        await server.stop()
    }

    @Test func duplicatedAnswerIsRefused() async throws {
        let server = try await echoServer { $0 + [$0[0]] }
        let mismatch = try await idMismatch(from: server, calls: [1, 2, 3])
        #expect(mismatch?.missing == [] && mismatch?.duplicated.count == 1)
        await server.stop()
    }

    /// The id mismatch a batch to `server` fails with (one attempt), or `nil` after recording an issue.
    private func idMismatch(
        from server: ScriptedHTTPServer,
        calls: [Int64]
    ) async throws -> (missing: [Int64], duplicated: [Int64], unexpected: Int)? {
        let client = try scriptedClient([server.url], attempts: 1)
        let error = await #expect(throws: ChainClientError.self) { try await client.batch(echoCalls(calls)) }
        guard case .invalidResponse(_, .batchIDMismatch(let missing, let duplicated, let unexpected))? = error else {
            Issue.record("expected a batch id mismatch, got \(String(describing: error))")
            return nil
        }
        return (missing, duplicated, unexpected)
    }

    @Test func wholeBatchRefusalIsAnRPCError() async throws {
        let server = try await ScriptedHTTPServer { _, _ in
            .json(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"batch too large"}}"#)
        }
        let client = try scriptedClient([server.url])
        await #expect(throws: ChainClientError.rpc(RPCError(code: -32600, message: "batch too large"))) {
            try await client.batch(echoCalls([1, 2]))
        }
        await server.stop()
    }
}
