import Foundation
import Inference

/// `cloister bench llm`: the embedded LLM engine against llama.cpp (through llama-cpp-python, run as a
/// Python subprocess in the same invocation) on the same GGUF file and the same prompt tokens, with 1 and
/// 2 threads. Two phases are timed apart on both sides, each the fastest of `repeats` passes per prompt:
///
/// - prompt processing: the chat prompt evaluated from an empty cache and the first token chosen;
/// - generation: the further single-token steps of greedy decoding, one per generated token after the first.
///
/// The engine's public API has no separate prompt call that keeps its cache, so its prompt phase is
/// `generate(maxTokens: 1)` and its generation phase is `generate(maxTokens: n)` minus that (both fastest
/// passes). llama.cpp times the same two phases itself and generates as many tokens as the engine did.
/// The run fails unless the engine's generated tokens are the same on every pass and thread count.
package struct LLMBenchmark: Sendable {
    package struct Throughput: Sendable, Codable, Equatable {
        package let engine: String
        package let threads: Int
        package let promptTokensPerSecond: Double
        package let generationTokensPerSecond: Double
        /// Milliseconds per generation step (one token through the model).
        package let millisecondsPerGeneratedToken: Double

        init(engine: String, threads: Int, promptTokens: Int, promptSeconds: Double, steps: Int, generationSeconds: Double) {
            self.engine = engine
            self.threads = threads
            promptTokensPerSecond = Double(promptTokens) / promptSeconds
            generationTokensPerSecond = Double(steps) / generationSeconds
            millisecondsPerGeneratedToken = 1000 * generationSeconds / Double(steps)
        }
    }

    package struct Report: Sendable, Codable {
        package let model: String
        /// Chat tokens of each prompt (the engine's; llama.cpp evaluates the same ids).
        package let promptTokens: [Int]
        /// Tokens generated per prompt (the engine's, sent to llama.cpp as its count).
        package let generatedTokens: [Int]
        package let repeats: Int
        package let engine: [Throughput]
        package let llamacpp: [Throughput]
        /// What llama.cpp's script reports it loaded and evaluated.
        package let llamacppModel: String
        package let llamacppModelBytes: Int
        package let llamacppVocabulary: Int
        package let llamacppPromptTokens: [Int]
        package let llamacppGeneratedTokens: [Int]
        package let llamacppPythonVersion: String
        package let llamacppConfiguration: String
        /// Prompts whose generated tokens are the same on both sides (informative: docs/llm.md, accuracy).
        package let identicalGenerations: Int
        package let bitExactAcrossThreadsAndPasses: Bool
        package let enginePeakMemoryMB: Double
        package let llamacppPeakMemoryMB: Double
        /// The thread count of the ratios: 2, or the largest measured when 2 was not.
        package let ratioThreads: Int
        package let generationRatioVsLlamacpp: Double
        package let promptRatioVsLlamacpp: Double
        package let generationRatioVsLlamacpp1Thread: Double?
        package let promptRatioVsLlamacpp1Thread: Double?

        enum CodingKeys: String, CodingKey {
            case model, promptTokens, generatedTokens, repeats, engine, llamacpp
            case llamacppModel, llamacppModelBytes, llamacppVocabulary, llamacppPromptTokens, llamacppGeneratedTokens
            case llamacppPythonVersion, llamacppConfiguration, identicalGenerations, bitExactAcrossThreadsAndPasses
            case enginePeakMemoryMB, llamacppPeakMemoryMB, ratioThreads, generationRatioVsLlamacpp, promptRatioVsLlamacpp
            case generationRatioVsLlamacpp1Thread = "generation_ratio_vs_llamacpp_1thread"
            case promptRatioVsLlamacpp1Thread = "prompt_ratio_vs_llamacpp_1thread"
        }
    }

    package let modelPath: String
    package let python: String
    package let script: String
    package let messages: [String]
    package let maxTokens: Int
    package let repeats: Int
    package let threadCounts: [Int]

    package init(
        modelPath: String, python: String, script: String, messages: [String] = LLMBenchmarkPrompts.messages,
        maxTokens: Int = 64, repeats: Int = 3, threadCounts: [Int] = [1, 2]
    ) {
        self.modelPath = modelPath
        self.python = python
        self.script = script
        self.messages = messages
        self.maxTokens = max(2, maxTokens)
        self.repeats = max(1, repeats)
        self.threadCounts = threadCounts.isEmpty ? [1] : threadCounts.map { max(1, $0) }
    }

    /// One prompt's fastest phases on one side.
    struct Timing {
        var promptSeconds = Double.infinity
        var totalSeconds = Double.infinity
    }

    package func run() throws(BenchmarkError) -> Report {
        var prompts: [[Int]] = []
        var generations: [[Int]]?
        var engine: [Throughput] = []
        for threads in threadCounts {
            let measured = try measureEngine(threads: threads)
            if let generations, generations != measured.generations {
                throw .notBitExact("\(threads) and \(threadCounts[0]) threads")
            }
            prompts = measured.prompts
            generations = measured.generations
            engine.append(measured.throughput)
        }
        let generated = generations ?? []
        let steps = stepCounts(generated)
        let baseline = PythonBaseline(python: python, script: script)
        var llamacpp: [Throughput] = []
        var reports: [LlamaCppReport] = []
        for threads in threadCounts {
            let request: [String: Any] = [
                "model": modelPath, "prompts": prompts, "generate": steps.map { $0 + 1 },
                "repeats": repeats, "threads": threads
            ]
            let report = try baseline.run(request: request, threads: threads, as: LlamaCppReport.self)
            guard report.prompts.map(\.prompt_tokens) == prompts.map(\.count),
                report.prompts.map(\.generated_tokens) == steps.map({ $0 + 1 })
            else {
                throw .baselineFailed("\(script) evaluated other token counts than it was given")
            }
            reports.append(report)
            llamacpp.append(
                Throughput(
                    engine: "llama.cpp", threads: threads, promptTokens: report.prompt_tokens,
                    promptSeconds: report.prompts.map(\.prompt_seconds).reduce(0, +),
                    steps: report.generation_steps,
                    generationSeconds: report.prompts.map(\.generation_seconds).reduce(0, +)))
        }
        let first = reports.first
        let identical = zip(generated, first?.prompts ?? []).filter { ours, theirs in
            theirs.tokens.starts(with: ours)
        }.count
        let ratioThreads = threadCounts.contains(2) ? 2 : threadCounts.max() ?? 1
        func ratio(_ threads: Int, _ rate: KeyPath<Throughput, Double>) -> Double? {
            guard let ours = engine.first(where: { $0.threads == threads }),
                let theirs = llamacpp.first(where: { $0.threads == threads })
            else { return nil }
            return ours[keyPath: rate] / theirs[keyPath: rate]
        }
        return Report(
            model: modelPath, promptTokens: prompts.map(\.count), generatedTokens: generated.map(\.count),
            repeats: repeats, engine: engine, llamacpp: llamacpp,
            llamacppModel: first?.model ?? "", llamacppModelBytes: first?.model_bytes ?? 0,
            llamacppVocabulary: first?.n_vocab ?? 0,
            llamacppPromptTokens: first?.prompts.map(\.prompt_tokens) ?? [],
            llamacppGeneratedTokens: first?.prompts.map(\.generated_tokens) ?? [],
            llamacppPythonVersion: first?.llama_cpp_python ?? "unknown",
            llamacppConfiguration: first.map { "\($0.kv_cache) key/value cache, flash attention \($0.flash_attention ? "on" : "off"), n_ctx \($0.n_ctx)" } ?? "",
            identicalGenerations: identical, bitExactAcrossThreadsAndPasses: true,
            enginePeakMemoryMB: PeakMemory.megabytes(),
            llamacppPeakMemoryMB: reports.map(\.peak_rss_mb).max() ?? 0,
            ratioThreads: ratioThreads,
            generationRatioVsLlamacpp: ratio(ratioThreads, \.generationTokensPerSecond) ?? 0,
            promptRatioVsLlamacpp: ratio(ratioThreads, \.promptTokensPerSecond) ?? 0,
            generationRatioVsLlamacpp1Thread: ratio(1, \.generationTokensPerSecond),
            promptRatioVsLlamacpp1Thread: ratio(1, \.promptTokensPerSecond))
    }

    /// Generation steps per prompt: tokens that went through the model one at a time. `generate` returns
    /// its tokens without the end of turn; a generation cut at `maxTokens` ran one step fewer than it has
    /// tokens (the last token is chosen, not evaluated), one that ended its turn as many as it has.
    func stepCounts(_ generations: [[Int]]) -> [Int] {
        generations.map { $0.count == maxTokens ? maxTokens - 1 : $0.count }
    }

    /// The engine on `threads`: per prompt the fastest of `repeats` passes of each phase after a warm-up.
    func measureEngine(threads: Int) throws(BenchmarkError) -> (prompts: [[Int]], generations: [[Int]], throughput: Throughput) {
        let engine: LlamaEngine
        do { engine = try LlamaEngine(path: modelPath, threads: threads) } catch { throw .engineFailed("\(modelPath): \(error)") }
        var prompts: [[Int]] = []
        var generations: [[Int]] = []
        var timings: [Timing] = []
        for message in messages {
            let prompt = engine.promptTokens(message)
            let (timing, passes): (Timing, [[Int]])
            do { (timing, passes) = try measure(engine, prompt: prompt) } catch { throw .engineFailed("\(error)") }
            guard let tokens = passes.first, passes.allSatisfy({ $0 == tokens }) else {
                throw .notBitExact("passes with \(threads) threads")
            }
            prompts.append(prompt)
            generations.append(tokens)
            timings.append(timing)
        }
        let steps = stepCounts(generations).reduce(0, +)
        return (
            prompts, generations,
            Throughput(
                engine: "cloister", threads: threads, promptTokens: prompts.map(\.count).reduce(0, +),
                promptSeconds: timings.map(\.promptSeconds).reduce(0, +), steps: steps,
                generationSeconds: timings.map { $0.totalSeconds - $0.promptSeconds }.reduce(0, +))
        )
    }

    /// One prompt's fastest prompt phase and fastest whole generation, and each pass's generated tokens.
    func measure(_ engine: LlamaEngine, prompt: [Int]) throws(LLMError) -> (Timing, [[Int]]) {
        _ = try engine.generate(tokens: prompt, maxTokens: min(4, maxTokens))  // warm-up
        var timing = Timing()
        var passes: [[Int]] = []
        for _ in 0..<repeats {
            timing.promptSeconds = min(
                timing.promptSeconds,
                try Stopwatch.seconds { () throws(LLMError) in
                    _ = try engine.generate(tokens: prompt, maxTokens: 1)
                })
            var tokens: [Int] = []
            timing.totalSeconds = min(
                timing.totalSeconds,
                try Stopwatch.seconds { () throws(LLMError) in
                    tokens = try engine.generate(tokens: prompt, maxTokens: maxTokens).tokens
                })
            passes.append(tokens)
        }
        return (timing, passes)
    }
}

/// `scripts/bench_llamacpp.py`: llama.cpp through llama-cpp-python on the same GGUF and prompt tokens.
struct LlamaCppReport: Decodable {
    struct Prompt: Decodable {
        let prompt_tokens: Int
        let generated_tokens: Int
        let tokens: [Int]
        let prompt_seconds: Double
        let generation_seconds: Double
    }
    let llama_cpp_python: String
    let model: String
    let model_bytes: Int
    let n_vocab: Int
    let n_ctx: Int
    let kv_cache: String
    let flash_attention: Bool
    let prompts: [Prompt]
    let prompt_tokens: Int
    let generation_steps: Int
    let peak_rss_mb: Double
}
