import Ethereum
import Testing
@testable import ChainClient

/// Retries, timeouts and failover against real HTTP servers on loopback whose answers are scripted.
struct RetryAndFailoverTests {
    @Test func retriesAfter503And429() async throws {
        let server = try await ScriptedHTTPServer { number, body in
            switch number {
            case 1: .json(#"{"error":"busy"}"#, status: 503)
            case 2: .respond(status: 429, headers: ["Retry-After": "0"], body: [])
            default: ScriptedAnswers.result(#""0x2a""#, answering: body)
            }
        }
        let client = try scriptedClient([server.url])
        #expect(try await client.blockNumber() == 42)
        #expect(server.requestCount == 3)
        await server.stop()
    }

    @Test func retriesAJSONRPCRateLimitError() async throws {
        let server = try await ScriptedHTTPServer { number, body in
            number == 1
                ? ScriptedAnswers.error(code: -32005, message: "rate limit exceeded", answering: body)
                : ScriptedAnswers.result(#""0x7a69""#, answering: body)
        }
        let client = try scriptedClient([server.url])
        #expect(try await client.chainId() == 31337)
        #expect(server.requestCount == 2)
        await server.stop()
    }

    @Test func givesUpAfterTheLastAttempt() async throws {
        let server = try await ScriptedHTTPServer { _, _ in .json("{}", status: 500) }
        let client = try scriptedClient([server.url], attempts: 3)
        await #expect(throws: ChainClientError.httpStatus(endpoint: server.url, status: 500)) {
            try await client.blockNumber()
        }
        #expect(server.requestCount == 3)
        await server.stop()
    }

    @Test func doesNotRetryANonIdempotentCall() async throws {
        let server = try await ScriptedHTTPServer { _, _ in .json("{}", status: 503) }
        let client = try scriptedClient([server.url])
        await #expect(throws: ChainClientError.httpStatus(endpoint: server.url, status: 503)) {
            try await client.request(.raw("eth_sendTransaction", params: [], isIdempotent: false))
        }
        #expect(server.requestCount == 1)
        await server.stop()
    }

    @Test func doesNotRetryAClientError() async throws {
        let server = try await ScriptedHTTPServer { _, _ in .json("not found", status: 404) }
        let client = try scriptedClient([server.url])
        await #expect(throws: ChainClientError.httpStatus(endpoint: server.url, status: 404)) {
            try await client.blockNumber()
        }
        #expect(server.requestCount == 1)
        await server.stop()
    }

    @Test func timesOutASlowAnswerAndRetries() async throws {
        let server = try await ScriptedHTTPServer { number, body in
            if number == 1 { try? await Task.sleep(for: .seconds(3)) }
            return ScriptedAnswers.result(#""0x5""#, answering: body)
        }
        let impatient = try scriptedClient([server.url], attempts: 1, timeout: .seconds(1))
        await #expect(throws: ChainClientError.timeout(endpoint: server.url)) {
            try await impatient.blockNumber()
        }
        let persistent = try scriptedClient([server.url], attempts: 2, timeout: .seconds(1))
        #expect(try await persistent.blockNumber() == 5)
        await server.stop()
    }

    @Test func invalidAnswerIsRetriedAtTheOtherEndpoint() async throws {
        let liar = try await ScriptedHTTPServer { _, body in ScriptedAnswers.result("true", answering: body) }
        let honest = try await ScriptedHTTPServer { _, body in ScriptedAnswers.result(#""0x9""#, answering: body) }
        let client = try scriptedClient([liar.url, honest.url])
        #expect(try await client.blockNumber() == 9)
        let statuses = await client.endpointStatuses()
        #expect(statuses.map(\.failures) == [1, 0])
        #expect(statuses.map(\.requests) == [1, 1])
        await liar.stop()
        await honest.stop()
    }

    @Test func secondEndpointTakesOverWhenTheFirstDies() async throws {
        let first = try await ScriptedHTTPServer { _, body in ScriptedAnswers.result(#""0x1""#, answering: body) }
        let second = try await ScriptedHTTPServer { _, body in ScriptedAnswers.result(#""0x2""#, answering: body) }
        let client = try scriptedClient([first.url, second.url], health: HealthPolicy(failureThreshold: 3, coolDown: .seconds(60)))
        #expect(try await client.blockNumber() == 1)
        await first.stop()
        for _ in 0..<6 {
            #expect(try await client.blockNumber() == 2)
        }
        let statuses = await client.endpointStatuses()
        #expect(statuses[0].isBenched && !statuses[1].isBenched)
        // One failed attempt per call until the threshold benches it; then it is skipped.
        #expect(statuses[0].failures == 3)
        #expect(second.requestCount == 6)
        await second.stop()
    }

    @Test func benchedEndpointIsTriedAgainAfterTheCoolDown() async throws {
        let first = try await ScriptedHTTPServer { number, body in
            number == 1 ? .json("{}", status: 502) : ScriptedAnswers.result(#""0x1""#, answering: body)
        }
        let second = try await ScriptedHTTPServer { _, body in ScriptedAnswers.result(#""0x2""#, answering: body) }
        let client = try scriptedClient(
            [first.url, second.url],
            health: HealthPolicy(failureThreshold: 1, coolDown: .seconds(5)))
        // The cool-down is long enough that the second call falls inside it even on a loaded machine.
        #expect(try await client.blockNumber() == 2)
        #expect(try await client.blockNumber() == 2)
        try await Task.sleep(for: .milliseconds(5_200))
        #expect(try await client.blockNumber() == 1)
        #expect(await client.endpointStatuses()[0].consecutiveFailures == 0)
        await first.stop()
        await second.stop()
    }

    @Test func rateLimitSpacesRequests() async throws {
        let server = try await ScriptedHTTPServer { _, body in ScriptedAnswers.result(#""0x1""#, answering: body) }
        let client = try RPCClient(
            configuration: RPCClientConfiguration(
                endpoints: [EndpointConfiguration(url: server.url, requestsPerSecond: 40, burst: 2)]))
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: UInt64.self) { group in
            for _ in 0..<12 { group.addTask { try await client.blockNumber() } }
            for try await number in group { #expect(number == 1) }
        }
        // 2 requests from the burst, the other 10 at 40 per second: never sooner than 250 ms.
        #expect(ContinuousClock.now - started >= .milliseconds(240))
        #expect(server.requestCount == 12)
        await server.stop()
    }
}
