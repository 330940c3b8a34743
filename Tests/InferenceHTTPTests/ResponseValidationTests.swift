import Foundation
import Hummingbird
import Testing
@testable import InferenceHTTP

/// Responses the backend refuses, each with the typed error naming what was wrong.
@Suite struct ResponseValidationTests {
    /// The error `complete` throws when the server answers `response`.
    static func failure(_ response: Response, configure: (inout OpenAICompatibleConfiguration) -> Void = { _ in }) async throws -> CompletionError? {
        try await StubServer.with(respond: { _ in response }) { url in
            var configuration = BackendRequestTests.configuration(url)
            configure(&configuration)
            let backend = try OpenAICompatibleBackend(configuration: configuration)
            do throws(CompletionError) {
                let completion = try await backend.complete("secret prompt 3f9a")
                Issue.record("accepted: \(completion)")
                return nil
            } catch {
                #expect(!error.description.contains("3f9a"), "an error quotes the prompt: \(error)")
                return error
            }
        }
    }

    @Test(arguments: [500, 502, 503, 429])
    func overloadedOrFailingServersAreRetryable(status: Int) async throws {
        let error = try await Self.failure(.json("{\"error\":\"busy\"}", status: .init(code: status)))
        #expect(error == .serverUnavailable(status: status, retryAfter: nil))
        #expect(error?.isRetryable == true)
    }

    @Test func retryAfterIsPassedOn() async throws {
        let response = Response(status: .tooManyRequests, headers: [.retryAfter: "7"], body: .init(byteBuffer: ByteBuffer(string: "{}")))
        #expect(try await Self.failure(response) == .serverUnavailable(status: 429, retryAfter: .seconds(7)))
    }

    @Test(arguments: [400, 401, 404, 413, 422])
    func clientErrorsAreRequestErrors(status: Int) async throws {
        // vLLM's 400 for an over-long prompt; the body is not quoted.
        let error = try await Self.failure(.json("{\"object\":\"error\",\"message\":\"secret prompt 3f9a is too long\"}", status: .init(code: status)))
        #expect(error == .requestRejected(status: status))
        #expect(error?.isRetryable == false)
    }

    @Test func redirectsAreNotFollowed() async throws {
        let log = RequestLog()
        let error: CompletionError? = try await StubServer.with(
            log: log,
            respond: { _ in
                Response(status: .temporaryRedirect, headers: [.location: "/elsewhere/chat/completions"])
            }
        ) { url in
            let backend = try OpenAICompatibleBackend(configuration: BackendRequestTests.configuration(url))
            do throws(CompletionError) { _ = try await backend.complete("hi"); return nil } catch { return error }
        }
        #expect(error == .unexpectedStatus(307))
        #expect(await log.requests.map(\.path) == ["/v1/chat/completions"])
    }

    @Test func malformedJSONIsInvalidJSON() async throws {
        let error = try await Self.failure(.json(#"{"model":"qwen2.5-0.5b-instruct","choices":[}"#))
        guard case .invalidJSON(let parseError)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(parseError.reason == .unexpectedCharacter)
        #expect(error?.isRetryable == false)
    }

    @Test func duplicateKeysAreInvalidJSON() async throws {
        // Two parsers could each believe a different content.
        let choice = ResponseFixtures.choice().replacingOccurrences(of: #""content":"Paris.""#, with: #""content":"Paris.","content":"Rome.""#)
        let error = try await Self.failure(.json(ResponseFixtures.body(choices: [choice])))
        guard case .invalidJSON(let parseError)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(parseError.reason == .duplicateKey)
    }

    @Test func missingChoiceIsRefused() async throws {
        #expect(try await Self.failure(.json(ResponseFixtures.body(choices: []))) == .choiceCount(0))
    }

    @Test func twoChoicesAreRefused() async throws {
        let choices = [ResponseFixtures.choice(), ResponseFixtures.choice(content: ResponseFixtures.literal("Lyon."), index: 1)]
        #expect(try await Self.failure(.json(ResponseFixtures.body(choices: choices))) == .choiceCount(2))
    }

    @Test func wrongModelIsRefused() async throws {
        let error = try await Self.failure(.json(ResponseFixtures.body(model: "llama-3-8b")))
        #expect(error == .modelMismatch(expected: ResponseFixtures.model, actual: "llama-3-8b"))
    }

    @Test func longServerTextIsCutInErrors() async throws {
        let error = try await Self.failure(.json(ResponseFixtures.body(model: String(repeating: "é", count: 500))))
        guard case .modelMismatch(_, let actual)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(actual.utf8.count <= CompletionError.quotedLimit + "…".utf8.count)
        #expect(actual.hasSuffix("…"))
    }

    @Test(arguments: [
        (#"{"choices":[]}"#, "model is missing"),
        (#"[1,2]"#, "the body is not a JSON object"),
        (#"{"model":"qwen2.5-0.5b-instruct"}"#, "choices is missing or not an array"),
        (#"{"model":"qwen2.5-0.5b-instruct","choices":{}}"#, "choices is missing or not an array"),
        (#"{"model":"qwen2.5-0.5b-instruct","choices":[3]}"#, "choices[0] is not an object"),
        (#"{"model":"qwen2.5-0.5b-instruct","choices":[{"finish_reason":"stop"}]}"#, "choices[0].message is missing or not an object"),
        (#"{"model":"qwen2.5-0.5b-instruct","choices":[{"message":{"role":"assistant"},"finish_reason":"stop"}]}"#, "choices[0].message.content is missing"),
        (#"{"model":"qwen2.5-0.5b-instruct","choices":[{"message":{"content":null},"finish_reason":"stop"}]}"#, "choices[0].message.content is null"),
        (#"{"model":"qwen2.5-0.5b-instruct","choices":[{"message":{"content":["Paris"]},"finish_reason":"stop"}]}"#, "choices[0].message.content is not a string"),
        (#"{"model":"qwen2.5-0.5b-instruct","choices":[{"message":{"content":"Paris"}}]}"#, "choices[0].finish_reason is missing"),
        (#"{"model":7,"choices":[]}"#, "model is not a string")
    ])
    func wrongShapesNameTheField(body: String, reason: String) async throws {
        #expect(try await Self.failure(.json(body)) == .malformedResponse(reason))
    }

    @Test(arguments: ["abort", "tool_calls", "content_filter", "STOP"])
    func unknownFinishReasonsAreRefused(reason: String) async throws {
        let body = ResponseFixtures.body(choices: [ResponseFixtures.choice(finishReason: ResponseFixtures.literal(reason))])
        #expect(try await Self.failure(.json(body)) == .unexpectedFinishReason(reason))
    }

    @Test func oversizedBodyIsRefused() async throws {
        let big = ResponseFixtures.body(choices: [ResponseFixtures.choice(content: ResponseFixtures.literal(String(repeating: "x", count: 5_000)))])
        let error = try await Self.failure(.json(big)) { $0.maxResponseBytes = 4_096 }
        #expect(error == .responseTooLarge(limit: 4_096))
        #expect(error?.isRetryable == false)
    }

    @Test func oversizedStreamedBodyWithoutLengthIsRefused() async throws {
        // Chunked: no Content-Length to refuse early, so the limit applies while reading.
        let chunk = ByteBuffer(string: String(repeating: " ", count: 1_024))
        let response = Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: ResponseBody { writer in
                for _ in 0..<8 { try await writer.write(chunk) }
                try await writer.finish(nil)
            })
        #expect(try await Self.failure(response) { $0.maxResponseBytes = 4_096 } == .responseTooLarge(limit: 4_096))
    }

    @Test func bodyAtTheLimitIsAccepted() async throws {
        let body = ResponseFixtures.body()
        let completion = try await StubServer.with(respond: { _ in .json(body) }) { url in
            var configuration = BackendRequestTests.configuration(url)
            configuration.maxResponseBytes = body.utf8.count
            return try await OpenAICompatibleBackend(configuration: configuration).complete("hi")
        }
        #expect(completion.content == "Paris.")
    }
}
