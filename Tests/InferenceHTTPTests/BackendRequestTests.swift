import Ethereum
import Foundation
import Testing
@testable import InferenceHTTP

/// What the backend sends: checked on the wire by a real local server.
@Suite struct BackendRequestTests {
    static func configuration(_ baseURL: String, apiKey: APIKey? = nil) -> OpenAICompatibleConfiguration {
        OpenAICompatibleConfiguration(
            baseURL: baseURL, servedModelName: ResponseFixtures.model, apiKey: apiKey,
            maxTokens: 64, seed: 42, requestTimeout: .seconds(10))
    }

    @Test func sendsTheChatCompletionRequest() async throws {
        let log = RequestLog()
        let completion = try await StubServer.with(log: log, respond: { _ in .json(ResponseFixtures.body()) }) { url in
            try await OpenAICompatibleBackend(configuration: Self.configuration(url)).complete("What is the capital of France?")
        }
        #expect(completion == Completion(rawContent: "Paris.", finishReason: .stop))
        let requests = await log.requests
        try #require(requests.count == 1)
        #expect(requests[0].path == "/v1/chat/completions")
        #expect(requests[0].contentType == "application/json")
        #expect(requests[0].authorization == nil)
        let body = try #require(try JSONSerialization.jsonObject(with: Data(requests[0].body)) as? [String: Any])
        #expect(Set(body.keys) == ["model", "messages", "temperature", "seed", "max_tokens", "n", "stream"])
        #expect(body["model"] as? String == ResponseFixtures.model)
        #expect(body["temperature"] as? Int == 0)
        #expect(body["seed"] as? Int == 42)
        #expect(body["max_tokens"] as? Int == 64)
        #expect(body["n"] as? Int == 1)
        #expect(body["stream"] as? Bool == false)
        let messages = try #require(body["messages"] as? [[String: String]])
        #expect(messages == [["role": "user", "content": "What is the capital of France?"]])
    }

    @Test func promptTextIsSentExactly() async throws {
        let prompt = "Line one\r\nCafe\u{301} \"quoted\" \\ / \u{1F600}\u{0}"
        let log = RequestLog()
        _ = try await StubServer.with(log: log, respond: { _ in .json(ResponseFixtures.body()) }) { url in
            try await OpenAICompatibleBackend(configuration: Self.configuration(url)).complete(prompt)
        }
        let request = try #require(await log.requests.first)
        let body = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        let messages = try #require(body["messages"] as? [[String: String]])
        // Not normalised on the way out: the input hash on chain covers the prompt as the requester wrote it.
        #expect(messages.first?["content"].map { Array($0.unicodeScalars) } == Array(prompt.unicodeScalars))
    }

    @Test func trailingSlashInTheBaseURLIsDropped() async throws {
        let log = RequestLog()
        _ = try await StubServer.with(log: log, respond: { _ in .json(ResponseFixtures.body()) }) { url in
            try await OpenAICompatibleBackend(configuration: Self.configuration(url + "//")).complete("hi")
        }
        #expect(await log.requests.map(\.path) == ["/v1/chat/completions"])
    }

    @Test func apiKeyIsSentAsBearerAndNeverShown() async throws {
        let secret = "sk-test-5d1c0a77e2f94b6c"
        let log = RequestLog()
        let configuration = Self.configuration("", apiKey: APIKey(secret))
        // One prompt per kind of refusal: an HTTP error, a validation error, a JSON error.
        let errors: [CompletionError] = try await StubServer.with(
            log: log,
            respond: { request in
                let text = String(decoding: request.body, as: UTF8.self)
                if text.contains("unauthorized") { return .json("{}", status: .unauthorized) }
                if text.contains("other model") { return .json(ResponseFixtures.body(model: "other")) }
                return .json("{", status: .ok)
            }
        ) { url in
            var configuration = configuration
            configuration.baseURL = url
            let backend = try OpenAICompatibleBackend(configuration: configuration)
            var errors: [CompletionError] = []
            for prompt in ["unauthorized", "other model", "broken json"] {
                do throws(CompletionError) { _ = try await backend.complete(prompt) } catch { errors.append(error) }
            }
            return errors
        }
        #expect(await log.requests.map(\.authorization) == Array(repeating: "Bearer \(secret)", count: 3))
        #expect(errors.count == 3)
        #expect(errors.first == .requestRejected(status: 401))
        var shown = errors.map { "\($0) \(String(reflecting: $0))" }
        shown.append("\(configuration) \(String(reflecting: configuration)) \(String(describing: configuration.apiKey))")
        var dumped = ""
        dump(configuration, to: &dumped)
        shown.append(dumped)
        for text in shown { #expect(!text.contains(secret), "the key appears in: \(text)") }
        #expect(dumped.contains("APIKey"), "dump still names the field")
    }

    @Test func connectionFailureDoesNotShowTheKey() async throws {
        let secret = "sk-test-7a6b5c4d"
        // Port 9 (discard) on loopback: nothing listens there in the test environment.
        let backend = try OpenAICompatibleBackend(configuration: Self.configuration("http://127.0.0.1:9/v1", apiKey: APIKey(secret)))
        let error = await #expect(throws: CompletionError.self) { try await backend.complete("hi") }
        guard case .connectionFailed(let reason)? = error else { Issue.record("expected connectionFailed, got \(String(describing: error))"); return }
        #expect(error?.isRetryable == true)
        #expect(!reason.contains(secret) && !"\(String(describing: error))".contains(secret))
    }

    @Test(arguments: [
        ("ftp://127.0.0.1/v1", OpenAICompatibleConfigurationError.invalidBaseURL("the scheme must be http or https")),
        ("127.0.0.1:8000/v1", .invalidBaseURL("not a URL")),
        ("localhost:8000/v1", .invalidBaseURL("the scheme must be http or https")),
        ("http://user:pw@127.0.0.1:8000/v1", .invalidBaseURL("credentials in the URL; use apiKey")),
        ("http://127.0.0.1:8000/v1?key=1", .invalidBaseURL("a query or fragment; give the API root only")),
        ("http:///v1", .invalidBaseURL("no host"))
    ])
    func badBaseURLsAreRefused(baseURL: String, expected: OpenAICompatibleConfigurationError) {
        #expect(throws: expected) { try OpenAICompatibleBackend(configuration: Self.configuration(baseURL)) }
        #expect(!expected.description.contains("pw"))
    }

    @Test func badSettingsAreRefused() {
        var configuration = Self.configuration("http://127.0.0.1:8000/v1")
        configuration.maxTokens = 0
        #expect(throws: OpenAICompatibleConfigurationError.zeroMaxTokens) { try OpenAICompatibleBackend(configuration: configuration) }
        configuration.maxTokens = 1
        configuration.servedModelName = ""
        #expect(throws: OpenAICompatibleConfigurationError.emptyModelName) { try OpenAICompatibleBackend(configuration: configuration) }
        configuration.servedModelName = "m"
        configuration.requestTimeout = .zero
        #expect(throws: OpenAICompatibleConfigurationError.nonPositiveTimeout) { try OpenAICompatibleBackend(configuration: configuration) }
        configuration.requestTimeout = .seconds(1)
        configuration.maxResponseBytes = 0
        #expect(throws: OpenAICompatibleConfigurationError.nonPositiveResponseLimit) { try OpenAICompatibleBackend(configuration: configuration) }
    }
}
