import Foundation
import InferenceHTTP
import CloisterConfiguration

/// The OpenAI-compatible backend `[llm]` configures, or nil when the section is absent.
enum LLMBackend {
    static func make(_ settings: LLMSettings?) throws -> OpenAICompatibleBackend? {
        guard let settings else { return nil }
        var key: APIKey?
        if !settings.apiKeyFile.isEmpty {
            guard var line = try? OperatorKeyFiles.password(at: settings.apiKeyFile), !line.isEmpty else {
                throw LLMSetupError.unreadableKey(settings.apiKeyFile)
            }
            defer { OperatorKeyFiles.wipe(&line) }
            key = APIKey(String(decoding: line, as: UTF8.self))
        }
        return try OpenAICompatibleBackend(
            configuration: OpenAICompatibleConfiguration(
                baseURL: settings.url, servedModelName: settings.servedModel, apiKey: key, maxTokens: UInt32(settings.maxTokens),
                seed: settings.seed, requestTimeout: .milliseconds(Int64(settings.timeoutMilliseconds)), deterministic: settings.deterministic))
    }
}

/// Why the `[llm]` backend could not be set up.
enum LLMSetupError: Error, CustomStringConvertible {
    case unreadableKey(String)

    var description: String {
        switch self {
        case .unreadableKey(let path): "llm.api_key_file: \(path) cannot be read or is empty; put the API key on its first line"
        }
    }
}
