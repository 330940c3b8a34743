import Foundation

/// The chat template of a GGUF model, for the ChatML family (`<|im_start|>role\ncontent<|im_end|>\n`),
/// recognised in `tokenizer.chat_template` rather than run as Jinja. When the template inserts a
/// default system message (as SmolLM2's does when the first message is not a system message),
/// that message is read from the template text itself.
package struct ChatTemplate: Sendable, Equatable {
    package let start: Int
    package let end: Int
    package let defaultSystemPrompt: String?

    init(template: String, tokenizer: ByteLevelBPETokenizer) throws(GGUFError) {
        guard template.contains("<|im_start|>"), template.contains("<|im_end|>"),
            template.contains("add_generation_prompt"),
            let start = tokenizer.id(of: "<|im_start|>"), let end = tokenizer.id(of: "<|im_end|>"),
            tokenizer.isControl(start), tokenizer.isControl(end)
        else {
            throw .unsupportedModel("chat template is not ChatML")
        }
        self.start = start
        self.end = end
        let marker = "<|im_start|>system\n"
        if let opening = template.range(of: marker),
            let closing = template.range(of: "<|im_end|>", range: opening.upperBound..<template.endIndex)
        {
            defaultSystemPrompt = String(template[opening.upperBound..<closing.lowerBound])
        } else {
            defaultSystemPrompt = nil
        }
    }

    /// The tokens of a conversation of one user message, ending with the assistant's header
    /// (`add_generation_prompt`). Message text is tokenized as plain text: control tokens cannot
    /// be injected through it.
    package func prompt(user: String, system: String? = nil, tokenizer: ByteLevelBPETokenizer) -> [Int] {
        var tokens: [Int] = []
        if let system = system ?? defaultSystemPrompt {
            tokens += [start] + tokenizer.encode("system\n" + system) + [end] + tokenizer.encode("\n")
        }
        tokens += [start] + tokenizer.encode("user\n" + user) + [end] + tokenizer.encode("\n")
        tokens += [start] + tokenizer.encode("assistant\n")
        return tokens
    }
}
