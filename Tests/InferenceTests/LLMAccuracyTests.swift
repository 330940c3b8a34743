import Testing
@testable import Inference

/// The engine against llama.cpp on the same GGUF (fixtures/llm/llamacpp.json, 120 prompts of our
/// own, llama.cpp fed one token at a time): next-token logits and greedy continuations of 32 tokens.
///
/// The engine performs llama.cpp's single-precision operations in llama.cpp's order and rounding
/// (docs/llm.md, "Agreement with llama.cpp"), so the measured difference is zero: every logit is
/// the same float and every continuation the same tokens. The tolerance is therefore zero, and
/// any difference means that an operation no longer rounds as llama.cpp's does.
@Suite struct LLMAccuracyTests {
    /// Largest |engine − llama.cpp| allowed: none (docs/llm.md, "Tolerance").
    static let logitTolerance: Float = 0

    @Test func theFixtureWasMadeFromTheInstalledModel() throws {
        let digest = FileDigest.sha256(try ModelBytes(path: TestLLM.file.path))
        #expect(digest.description.lowercased().hasSuffix(TestLLM.reference.model_sha256))
    }

    @Test func logitsAndGreedyContinuationsAgreeWithLlamaCpp() throws {
        let reference = TestLLM.reference
        let engine = TestLLM.twoThreads
        let endOfGeneration = Set(reference.end_of_generation)
        var worst: Float = 0
        var sumOfDifferences = 0.0, compared = 0
        var topAgreements = 0, agreeing = 0
        var disagreements: [String] = []
        for prompt in reference.prompts {
            // Greedy decoding as `generate` does it, keeping the first step's logits.
            var cache = engine.model.emptyCache(capacity: prompt.prompt_ids.count + reference.greedy_tokens)
            var logits = engine.model.forward(prompt.prompt_ids, cache: &cache, allLogits: false, runner: engine.runner)[0]
            for (id, expected) in zip(prompt.logit_ids, prompt.logits) {
                let difference = abs(logits[id] - expected)
                worst = max(worst, difference)
                sumOfDifferences += Double(difference)
                compared += 1
            }
            if LlamaEngine.argmax(logits) == prompt.logit_ids[0] { topAgreements += 1 }
            var generated: [Int] = []
            while generated.count < reference.greedy_tokens {
                let next = LlamaEngine.argmax(logits)
                generated.append(next)
                if endOfGeneration.contains(next) || generated.count == reference.greedy_tokens { break }
                logits = engine.model.forward([next], cache: &cache, allLogits: false, runner: engine.runner)[0]
            }
            if generated == prompt.greedy {
                agreeing += 1
            } else {
                let first = zip(generated, prompt.greedy).prefix { $0 == $1 }.count
                disagreements.append("\(prompt.user.debugDescription) at token \(first)")
            }
        }
        let count = reference.prompts.count
        print(
            "LLM vs llama.cpp: logits \(compared) compared, max |Δ| \(worst), mean |Δ| \(sumOfDifferences / Double(compared)); first token \(topAgreements)/\(count); greedy \(agreeing)/\(count) agree; differ: \(disagreements)"
        )
        #expect(worst <= Self.logitTolerance, "a logit differs from llama.cpp's")
        #expect(topAgreements == count)
        // Issue 17's target is 95 % of the continuations; all 120 agree, and any one that stops
        // agreeing shows an operation that rounds differently.
        #expect(agreeing * 100 >= count * 95)
        #expect(agreeing == count, "continuations that differ: \(disagreements)")
    }
}
