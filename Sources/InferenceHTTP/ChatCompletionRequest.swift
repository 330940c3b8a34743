import Foundation

/// The JSON body POSTed to `/chat/completions`:
/// `{"max_tokens", "messages": [{"content": prompt, "role": "user"}], "model", "n": 1, "seed",
///  "stream": false, "temperature": 0}` (keys sorted).
struct ChatCompletionRequest: Encodable {
    struct Message: Encodable {
        let role: String
        let content: String
    }

    let model: String
    let messages: [Message]
    let temperature: Int
    let seed: UInt64
    let maxTokens: UInt32
    let n: Int
    let stream: Bool

    enum CodingKeys: String, CodingKey {
        case model, messages, temperature, seed, n, stream
        case maxTokens = "max_tokens"
    }

    init(prompt: String, configuration: OpenAICompatibleConfiguration) {
        model = configuration.servedModelName
        messages = [Message(role: "user", content: prompt)]
        temperature = 0
        seed = configuration.seed
        maxTokens = configuration.maxTokens
        n = 1
        stream = false
    }

    /// The UTF-8 JSON body. Encoding strings, integers and booleans cannot fail.
    var body: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { preconditionFailure("a chat completion request did not encode") }
        return Array(data)
    }
}
