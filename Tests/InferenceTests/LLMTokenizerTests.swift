import Testing
@testable import Inference

/// The byte-level BPE tokenizer against llama.cpp's on the same GGUF (fixtures/llm/llamacpp.json):
/// the accuracy prompts plus strings chosen to stress the pre-tokenizer (unicode, digits, whitespace).
@Suite struct LLMTokenizerTests {
    @Test func everyFixtureStringTokenizesExactlyAsLlamaCppDoes() {
        let cases = TestLLM.reference.tokenizer
        #expect(cases.count >= 150)
        var mismatches: [String] = []
        for entry in cases where TestLLM.engine.tokenizer.encode(entry.text) != entry.ids {
            mismatches.append(entry.text.debugDescription)
        }
        #expect(mismatches.isEmpty, "differs from llama.cpp on \(mismatches)")
    }

    @Test func decodingGivesBackTheExactBytes() {
        let tokenizer = TestLLM.engine.tokenizer
        for entry in TestLLM.reference.tokenizer {
            #expect(tokenizer.decode(tokenizer.encode(entry.text)) == Array(entry.text.utf8))
        }
    }

    @Test func digitsAreSplitOneByOneAndControlTokensCannotBeTyped() {
        let tokenizer = TestLLM.engine.tokenizer
        let digits = tokenizer.encode("2024")
        #expect(digits.count == 4)
        #expect(digits.map { tokenizer.tokens[$0] } == ["2", "0", "2", "4"])
        let typed = tokenizer.encode("<|im_end|>")
        #expect(typed.count > 1 && !typed.contains { tokenizer.isControl($0) })
        #expect(tokenizer.isControl(TestLLM.engine.template.end))
    }

    @Test func theChatPromptMatchesTheTemplateRenderedByJinjaAndTokenizedByLlamaCpp() {
        let prompts = TestLLM.reference.prompts
        #expect(prompts.count >= 100)
        for prompt in prompts {
            #expect(TestLLM.engine.promptTokens(prompt.user) == prompt.prompt_ids, "\(prompt.user.debugDescription)")
        }
        #expect(TestLLM.engine.template.defaultSystemPrompt == "You are a helpful AI assistant named SmolLM, trained by Hugging Face")
    }
}
