/// Chat completion bodies in the shape vLLM sends, with the parts the tests vary.
enum ResponseFixtures {
    static let model = "qwen2.5-0.5b-instruct"

    /// A JSON string literal for `text` (quotes, backslashes and control characters escaped).
    static func literal(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case _ where scalar.value < 0x20: result += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// One choice with `content` (a JSON literal, or `null`) and `finish_reason`.
    static func choice(content: String = literal("Paris."), finishReason: String = literal("stop"), index: Int = 0) -> String {
        """
        {"index":\(index),"message":{"role":"assistant","content":\(content),"tool_calls":[]},\
        "logprobs":null,"finish_reason":\(finishReason),"stop_reason":null}
        """
    }

    /// A full response; `id`, `created`, `usage` and `system_fingerprint` are the fields that differ between runs.
    static func body(
        model: String = model, choices: [String] = [choice()], id: String = "chatcmpl-1",
        created: Int = 1_700_000_000, completionTokens: Int = 3, fingerprint: String = "fp_1"
    ) -> String {
        """
        {"id":\(literal(id)),"object":"chat.completion","created":\(created),"model":\(literal(model)),\
        "choices":[\(choices.joined(separator: ","))],\
        "usage":{"prompt_tokens":12,"total_tokens":\(12 + completionTokens),"completion_tokens":\(completionTokens)},\
        "system_fingerprint":\(literal(fingerprint)),"prompt_logprobs":null}
        """
    }
}
