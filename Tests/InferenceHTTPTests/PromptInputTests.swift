import Ethereum
import Testing
@testable import InferenceHTTP

@Suite struct PromptInputTests {
    @Test func roundTrip() throws {
        let input = PromptInput(prompt: "Summarise: \u{1F600} naïve")
        #expect(input.abiEncoded == ABI.encode([.string(input.prompt)]))
        #expect(try PromptInput(abiEncoded: input.abiEncoded) == input)
    }

    @Test(arguments: ["", " ", "\n\t \u{3000}"])
    func emptyPromptsAreRefused(prompt: String) {
        #expect(throws: PromptInputError.emptyPrompt) { try PromptInput(abiEncoded: PromptInput(prompt: prompt).abiEncoded) }
    }

    @Test func largePromptsAreRefused() throws {
        let limits = PromptLimits(maxPromptBytes: 100)
        let atLimit = PromptInput(prompt: String(repeating: "a", count: 100))
        #expect(try PromptInput(abiEncoded: atLimit.abiEncoded, limits: limits) == atLimit)
        // 101 bytes still fit the padded encoding of 100 (128 bytes of text), so the prompt check refuses it.
        let over = PromptInput(prompt: String(repeating: "a", count: 101)).abiEncoded
        #expect(throws: PromptInputError.promptTooLarge(bytes: 101, limit: 100)) { try PromptInput(abiEncoded: over, limits: limits) }
        // Far larger inputs are refused before decoding.
        let huge = PromptInput(prompt: String(repeating: "a", count: 1_000)).abiEncoded
        #expect(throws: PromptInputError.inputTooLarge(bytes: huge.count, limit: 192)) { try PromptInput(abiEncoded: huge, limits: limits) }
    }

    @Test func nonCanonicalInputsAreRefused() {
        let valid = PromptInput(prompt: "hello").abiEncoded
        let cases: [[UInt8]] = [
            [],
            Array(valid.prefix(70)),
            valid + [0],
            ABI.encode([.bytes([0xFF, 0xFE])]),
            ABI.encode([.string("hello"), .string("world")])
        ]
        for bytes in cases {
            let error = #expect(throws: PromptInputError.self) { try PromptInput(abiEncoded: bytes) }
            if case .malformed? = error {} else { Issue.record("expected malformed, got \(String(describing: error))") }
        }
    }

    @Test func errorsDoNotQuoteThePrompt() {
        let prompt = "confidential-7c1e " + String(repeating: "x", count: 40_000)
        let error = #expect(throws: PromptInputError.self) { try PromptInput(abiEncoded: PromptInput(prompt: prompt).abiEncoded) }
        #expect(error.map { !$0.description.contains("confidential") } == true)
    }
}
