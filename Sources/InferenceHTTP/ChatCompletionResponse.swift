import Ethereum

/// Validation of a chat completion response body (HTTP 200) into a ``Completion``.
///
/// Read: `model` (must equal the served name), `choices` (exactly one), `choices[0].message.content`
/// (a string) and `choices[0].finish_reason` (`stop` or `length`). Deliberately ignored, because they
/// differ between identical runs or say nothing about the output: `id`, `object`, `created`,
/// `usage`, `system_fingerprint`, `service_tier`, `prompt_logprobs`, `choices[0].index`,
/// `choices[0].logprobs`, `choices[0].stop_reason`, `message.role`, `message.reasoning_content`,
/// `message.tool_calls` and any field a server adds.
enum ChatCompletionResponse {
    static func completion(from body: [UInt8], expectedModel: String) throws(CompletionError) -> Completion {
        let document: ExactJSON
        do { document = try ExactJSON(parsing: body) } catch { throw .invalidJSON(error) }
        guard case .object = document else { throw .malformedResponse("the body is not a JSON object") }

        let model = try string(document["model"], named: "model")
        guard model == expectedModel else {
            throw .modelMismatch(expected: CompletionError.quoted(expectedModel), actual: CompletionError.quoted(model))
        }
        guard case .array(let choices)? = document["choices"] else {
            throw .malformedResponse("choices is missing or not an array")
        }
        guard choices.count == 1 else { throw .choiceCount(choices.count) }
        let choice = choices[0]
        guard case .object = choice else { throw .malformedResponse("choices[0] is not an object") }
        guard let message = choice["message"], case .object = message else {
            throw .malformedResponse("choices[0].message is missing or not an object")
        }
        let content = try string(message["content"], named: "choices[0].message.content")
        let reason = try string(choice["finish_reason"], named: "choices[0].finish_reason")
        guard let finishReason = FinishReason(rawValue: reason) else {
            throw .unexpectedFinishReason(CompletionError.quoted(reason))
        }
        return Completion(rawContent: content, finishReason: finishReason)
    }

    private static func string(_ value: ExactJSON?, named name: String) throws(CompletionError) -> String {
        switch value {
        case .string(let text)?: return text
        case nil: throw .malformedResponse("\(name) is missing")
        case .null?: throw .malformedResponse("\(name) is null")
        default: throw .malformedResponse("\(name) is not a string")
        }
    }
}
