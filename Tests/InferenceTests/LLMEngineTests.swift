import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import Inference

/// Generation and scoring: limits, stop strings, end of turn, and bit-identical results across
/// runs, thread counts and the way a prompt is fed (all at once or token by token).
@Suite struct LLMEngineTests {
    static let prompt = "What is the capital of Japan?"

    @Test func logitsAreBitIdenticalAcrossThreadCountsRunsAndBatching() {
        let tokens = TestLLM.engine.promptTokens("Explain what a hash function is.")
        let single = TestLLM.engine.logits(after: tokens)
        #expect(TestLLM.twoThreads.logits(after: tokens).map(\.bitPattern) == single.map(\.bitPattern))
        #expect(TestLLM.engine.logits(after: tokens).map(\.bitPattern) == single.map(\.bitPattern))
        // The same positions fed one token at a time through the cache.
        let model = TestLLM.engine.model
        var cache = model.emptyCache(capacity: tokens.count)
        var last: [Float] = []
        for token in tokens { last = model.forward([token], cache: &cache, allLogits: false, runner: ParallelRunner(threads: 2))[0] }
        #expect(last.map(\.bitPattern) == single.map(\.bitPattern))
    }

    @Test func generationIsGreedyRepeatableAndThreadIndependent() throws {
        let first = try TestLLM.engine.generate(prompt: Self.prompt, maxTokens: 24)
        #expect(try TestLLM.engine.generate(prompt: Self.prompt, maxTokens: 24) == first)
        #expect(try TestLLM.twoThreads.generate(prompt: Self.prompt, maxTokens: 24) == first)
        #expect(first.text.contains("Tokyo"))
        // Greedy: each token is the argmax after the prompt and the tokens before it.
        let prompt = TestLLM.engine.promptTokens(Self.prompt)
        for count in [0, 3] {
            let logits = TestLLM.engine.logits(after: prompt + first.tokens.prefix(count))
            #expect(LlamaEngine.argmax(logits) == first.tokens[count])
        }
    }

    @Test func theTokenCapStopStringsAndEndOfTurnEndAGeneration() throws {
        let capped = try TestLLM.engine.generate(prompt: "Count from one to twenty, in words.", maxTokens: 5)
        #expect(capped.tokens.count == 5 && capped.stopReason == .maxTokens)
        let full = try TestLLM.engine.generate(prompt: Self.prompt, maxTokens: 64)
        #expect(full.stopReason == .endOfTurn && full.tokens.count < 64)
        #expect(!full.tokens.contains { TestLLM.engine.tokenizer.isControl($0) })
        let stopped = try TestLLM.engine.generate(prompt: Self.prompt, maxTokens: 64, stop: ["Tokyo"])
        #expect(stopped.stopReason == .stopString)
        #expect(full.text.hasPrefix(stopped.text) && !stopped.text.contains("Tokyo"))
        #expect(full.text.dropFirst(stopped.text.count).hasPrefix("Tokyo"))
    }

    @Test func requestsOutsideTheLimitsAreRefused() throws {
        var limits = LLMLimits()
        limits.maxPromptTokens = 8
        limits.maxNewTokens = 4
        let small = try LlamaEngine(path: TestLLM.file.path, limits: limits)
        #expect(throws: LLMError.emptyPrompt) { try small.generate(prompt: "", maxTokens: 1) }
        #expect(throws: LLMError.invalidMaxTokens(5, limit: 4)) { try small.generate(tokens: [1, 2], maxTokens: 5) }
        #expect(throws: LLMError.invalidMaxTokens(0, limit: 4)) { try small.generate(tokens: [1, 2], maxTokens: 0) }
        #expect(throws: LLMError.self) { try small.generate(prompt: Self.prompt, maxTokens: 1) }
        #expect(throws: LLMError.emptyCompletion(index: 1)) { try TestLLM.engine.score(prompt: Self.prompt, completions: ["a", ""]) }
        #expect(throws: LLMError.unreadable(path: "/nonexistent.gguf")) { try LlamaEngine(path: "/nonexistent.gguf") }
    }

    @Test func scoresAreLogProbabilitiesOfTheCompletionsTokens() throws {
        let engine = TestLLM.twoThreads
        let prompt = "What is the capital of France? Answer with one word."
        let scores = try engine.score(prompt: prompt, completions: ["Paris", "Berlin", "Paris is the capital"])
        #expect(scores.allSatisfy { $0 < 0 })
        #expect(scores[0] > scores[1])
        // Recomputed from fresh forward passes, one position at a time.
        let promptTokens = engine.promptTokens(prompt)
        let completion = engine.tokenizer.encode("Paris is the capital")
        var expected = 0.0
        for index in completion.indices {
            let logits = engine.logits(after: promptTokens + completion[..<index])
            let maximum = Double(logits.max()!)
            let total = logits.reduce(0.0) { $0 + PortableMath.exp(Double($1) - maximum) }
            expected += Double(logits[completion[index]]) - maximum - PortableMath.log(total)
        }
        #expect(abs(scores[2] - expected) < 1e-9)
        #expect(try TestLLM.engine.score(prompt: prompt, completions: ["Paris", "Berlin", "Paris is the capital"]) == scores)
    }

    @Test func portableLogAgreesWithItsDefinition() {
        for x in [1e-300, 0.001, 0.5, 1, 2, 10, 100_000, 1e300] {
            // exp amplifies the absolute error of ln x (≈ 1e-16·|ln x|) into a relative one.
            #expect(abs(PortableMath.exp(PortableMath.log(x)) / x - 1) < 4e-16 * (1 + abs(PortableMath.log(x))))
        }
        #expect(PortableMath.log(1) == 0)
        #expect(abs(PortableMath.log(2) - 0.6931471805599453) < 2e-16)
        #expect(abs(PortableMath.log(10) - 2.302585092994046) < 5e-16)
        #expect(PortableMath.log(0) == -.infinity && PortableMath.log(-1).isNaN)
    }

    /// The rotary sine and cosine are glibc's `sinf`/`cosf` bit for bit (llama.cpp's rope cache calls
    /// them), on all three paths: below π/4, the quick reduction below 120, the 4/π table above.
    @Test func rotarySineAndCosineAreGlibcsBitForBit() {
        var angles: [Float] = [0, 1e-5, 0.5, 0.78, 0.79, 1, 2, 3.14159, 100, 119.9, 120, 1000, 8191, 1e6]
        var state: UInt64 = 5
        for _ in 0..<20_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            angles.append(Float((state >> 33) % 100_000_000) / 10_000)
        }
        var theta: Float = 1
        for _ in 0..<32 { angles.append(theta); theta *= 0.6978306 }
        var mismatches: [Float] = []
        for angle in angles {
            let (s, c) = ReferenceArithmetic.sinCos(angle)
            #if canImport(Glibc)
            if s.bitPattern != Glibc.sinf(angle).bitPattern || c.bitPattern != Glibc.cosf(angle).bitPattern { mismatches.append(angle) }
            #endif
            #expect(abs(Double(s) - Foundation.sin(Double(angle))) < 1e-7 && abs(Double(c) - Foundation.cos(Double(angle))) < 1e-7)
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }

    /// ggml's vectorised exponential: within its documented 1.5 ulp plus rounding (relative 2.5·2⁻²³)
    /// of eˣ, 0 and ∞ beyond its range, and SiLU built on it.
    @Test func referenceExponentialStaysWithinItsErrorBound() {
        for x in stride(from: Float(-80), through: 88, by: 0.013) {
            let exact = Foundation.exp(Double(x))
            #expect(abs(Double(ReferenceArithmetic.exp(x)) - exact) <= 2.5 * 0x1p-23 * exact)
        }
        #expect(ReferenceArithmetic.exp(-200) == 0 && ReferenceArithmetic.exp(200) == .infinity)
        #expect(ReferenceArithmetic.exp(-.infinity) == 0 && ReferenceArithmetic.exp(0) == 1)
        #expect(abs(ReferenceArithmetic.silu(2) - 1.7615942) < 1e-6)
    }
}
