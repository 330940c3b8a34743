import Hummingbird
import Testing
@testable import InferenceHTTP

/// The request timeout bounds the whole exchange: waiting for the head and reading the body.
@Suite struct TimeoutTests {
    static let timeout = Duration.milliseconds(300)

    /// Bounds are generous where the machine's load could make a slow run look like a fault: the
    /// servers that stall do so for 60 s, and the answer that must be accepted has 10 s.
    static func outcome(timeout: Duration = timeout, _ respond: @escaping StubServer.Responder) async throws -> (CompletionError?, Duration) {
        try await StubServer.with(respond: respond) { url in
            var configuration = BackendRequestTests.configuration(url)
            configuration.requestTimeout = timeout
            let backend = try OpenAICompatibleBackend(configuration: configuration)
            let clock = ContinuousClock()
            let start = clock.now
            do throws(CompletionError) {
                _ = try await backend.complete("hi")
                return (nil, clock.now - start)
            } catch {
                return (error, clock.now - start)
            }
        }
    }

    @Test func serverThatNeverAnswersTimesOut() async throws {
        let (error, elapsed) = try await Self.outcome { _ in
            try await Task.sleep(for: .seconds(60))
            return .json(ResponseFixtures.body())
        }
        #expect(error == .timedOut(after: Self.timeout))
        #expect(error?.isRetryable == true)
        #expect(elapsed >= Self.timeout && elapsed < .seconds(30), "took \(elapsed)")
    }

    @Test func serverThatStallsInTheBodyTimesOut() async throws {
        let (error, elapsed) = try await Self.outcome { _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: #"{"model":"#))
                    try await Task.sleep(for: .seconds(60))
                    try await writer.finish(nil)
                })
        }
        #expect(error == .timedOut(after: Self.timeout))
        #expect(elapsed >= Self.timeout && elapsed < .seconds(30), "took \(elapsed)")
    }

    @Test func answerWithinTheTimeoutIsAccepted() async throws {
        let (error, _) = try await Self.outcome(timeout: .seconds(10)) { _ in
            try await Task.sleep(for: .milliseconds(50))
            return .json(ResponseFixtures.body())
        }
        #expect(error == nil)
    }
}
