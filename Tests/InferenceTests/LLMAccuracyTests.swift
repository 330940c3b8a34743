import Testing
@testable import Inference

/// The engine against llama.cpp on the same GGUF (fixtures/llm/llamacpp.json, 120 prompts of our
/// own): next-token logits and greedy continuations of 32 tokens, from one pass per prompt.
///
/// Issue 17's targets (logits within a summation-order tolerance, ≥ 95 % of continuations equal)
/// are NOT met yet: the engine and llama.cpp differ by more than summation order (docs/llm.md,
/// "Open: the gap to llama.cpp"). Those two checks are recorded as known issues, so that they show
/// in every run and turn into failures the day they pass; the guards beside them hold today and
/// fail if the agreement gets worse than measured.
@Suite struct LLMAccuracyTests {
    /// Largest |engine − llama.cpp| the issue asks for: a few single-precision roundings of the
    /// largest logits (docs/llm.md, "Tolerance").
    static let logitTolerance: Float = 0.01

    @Test func theFixtureWasMadeFromTheInstalledModel() throws {
        let digest = FileDigest.sha256(try MappedFile(path: TestLLM.file.path))
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
        print("LLM vs llama.cpp: logits \(compared) compared, max |Δ| \(worst), mean |Δ| \(sumOfDifferences / Double(compared)); first token \(topAgreements)/\(count); greedy \(agreeing)/\(count) agree; differ: \(disagreements)")
        withKnownIssue("issue 17: logits differ from llama.cpp by more than summation order (docs/llm.md)") {
            #expect(worst <= Self.logitTolerance)
        }
        withKnownIssue("issue 17: greedy continuations agree with llama.cpp on 58 of 120 prompts (docs/llm.md)") {
            #expect(agreeing * 100 >= count * 95)
        }
        // Guards at the measured level (max 1.25, mean 0.167, 117 of 120 first tokens, 58 of 120 continuations).
        #expect(worst <= 2)
        #expect(sumOfDifferences / Double(compared) <= 0.25)
        #expect(topAgreements * 100 >= count * 95)
        #expect(agreeing * 100 >= count * 40, "worse than the 58 of 120 measured")
    }
}
