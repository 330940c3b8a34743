import AsyncHTTPClient
import Ethereum
import NIOCore

/// A model behind an OpenAI-compatible server (vLLM, llama.cpp): one `POST {baseURL}/chat/completions`
/// per prompt, with `temperature: 0`, the configured `seed` and `max_tokens`, `n: 1`, `stream: false`.
///
/// The response is validated strictly (``ChatCompletionResponse``) and canonicalised
/// (``Completion``). The whole exchange, body included, is bounded by
/// ``OpenAICompatibleConfiguration/requestTimeout`` and the body by
/// ``OpenAICompatibleConfiguration/maxResponseBytes``. Nothing is logged.
package struct OpenAICompatibleBackend: CompletionBackend {
    package let configuration: OpenAICompatibleConfiguration
    private let client: HTTPClient
    private let url: String

    /// The client used unless one is injected: redirects are not followed (a redirect could carry the
    /// prompt to another host), responses are not decompressed, a refused connection fails at once
    /// instead of being retried until the timeout (the server is local; the caller retries the job),
    /// nothing is logged. Never shut down.
    package static let defaultClient: HTTPClient = {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, decompression: .disabled)
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// Checks `configuration` and keeps `client` for the requests. An injected client's redirect
    /// setting applies; `HTTPClient.shared` follows redirects.
    package init(configuration: OpenAICompatibleConfiguration, client: HTTPClient = Self.defaultClient) throws(OpenAICompatibleConfigurationError) {
        self.url = try configuration.chatCompletionsURL()
        self.configuration = configuration
        self.client = client
    }

    package var modelID: Bytes32 { configuration.modelID }
    package var deterministic: Bool { configuration.deterministic }

    package func complete(_ prompt: String) async throws(CompletionError) -> Completion {
        let body = try await withTimeout { () async throws(CompletionError) -> [UInt8] in
            try await exchange(ChatCompletionRequest(prompt: prompt, configuration: configuration).body)
        }
        return try ChatCompletionResponse.completion(from: body, expectedModel: configuration.servedModelName)
    }

    /// POSTs `body` and returns the response body of an HTTP 200, or the status as an error.
    private func exchange(_ body: [UInt8]) async throws(CompletionError) -> [UInt8] {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        if let key = configuration.apiKey { request.headers.add(name: "Authorization", value: "Bearer \(key.secret)") }
        request.body = .bytes(ByteBuffer(bytes: body))
        let limit = configuration.maxResponseBytes
        do {
            let response = try await client.execute(request, timeout: .nanoseconds(configuration.requestTimeout.wholeNanoseconds))
            let status = Int(response.status.code)
            guard status == 200 else {
                _ = try? await response.body.collect(upTo: limit)
                throw Self.statusError(status, retryAfter: response.headers.first(name: "Retry-After"))
            }
            return Array(try await response.body.collect(upTo: limit).readableBytesView)
        } catch let error as CompletionError {
            throw error
        } catch is NIOTooManyBytesError {
            throw .responseTooLarge(limit: limit)
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            throw .timedOut(after: configuration.requestTimeout)
        } catch {
            if Task.isCancelled { throw .cancelled }
            throw .connectionFailed(redacted(String(describing: type(of: error)) + ": \(error)"))
        }
    }

    /// Runs `operation`, throwing ``CompletionError/timedOut(after:)`` and cancelling it when the
    /// request timeout passes first.
    private func withTimeout<T: Sendable>(_ operation: @escaping @Sendable () async throws(CompletionError) -> T) async throws(CompletionError) -> T {
        let timeout = configuration.requestTimeout
        let outcome = await withTaskGroup(of: Result<T, CompletionError>?.self) { group in
            group.addTask { () async -> Result<T, CompletionError>? in
                do throws(CompletionError) { return .success(try await operation()) } catch { return .failure(error) }
            }
            group.addTask {
                do { try await Task.sleep(for: timeout) } catch { return .failure(.cancelled) }
                return .failure(.timedOut(after: timeout))
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let outcome else { throw .cancelled }
        return try outcome.get()
    }

    static func statusError(_ status: Int, retryAfter: String?) -> CompletionError {
        switch status {
        case 429, 500...599:
            let seconds = retryAfter.flatMap { Int($0) }.map { Duration.seconds(min(max($0, 0), 3600)) }
            return .serverUnavailable(status: status, retryAfter: seconds)
        case 400...499: return .requestRejected(status: status)
        default: return .unexpectedStatus(status)
        }
    }

    /// `text` with the API key, if it appears, replaced: transport errors are not expected to quote
    /// headers, and this makes sure.
    private func redacted(_ text: String) -> String {
        guard let secret = configuration.apiKey?.secret, !secret.isEmpty else { return text }
        return text.replacing(secret, with: "<redacted>")
    }
}
