import ArgumentParser
import Foundation
import Inference
import Benchmarks

/// `cloister bench llm [--json]`: the embedded LLM engine against llama.cpp on the same GGUF and prompt tokens,
/// prompt processing and generation tokens/s with 1 and 2 threads. Build with `-c release`.
struct BenchLLMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "llm",
        abstract: "Embedded LLM engine vs llama.cpp: prompt and generation tokens/s with 1 and 2 threads."
    )

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Flag(help: "One short prompt, 8 tokens, one pass: checks that the benchmark runs, measures nothing.")
    var quick = false

    @Option(parsing: .upToNextOption, help: "Thread counts to measure (the ratios are taken at 2 when measured).")
    var threads: [Int] = [1, 2]

    @Option(help: "Tokens generated per prompt.")
    var tokens = 64

    @Option(help: "Passes per prompt and thread count; the fastest of each phase counts.")
    var repeats = 3

    @Option(help: "Python interpreter with llama-cpp-python.")
    var python = ".venv/bin/python"

    @Option(help: "The llama.cpp baseline script.")
    var script = "scripts/bench_llamacpp.py"

    @Option(help: "The GGUF file (default: $\(LLMModelFile.environmentVariable), else the project's .venv).")
    var model: String?

    func run() throws {
        let benchmark =
            quick
            ? LLMBenchmark(
                modelPath: modelPath, python: python, script: script,
                messages: Array(LLMBenchmarkPrompts.messages.prefix(1)), maxTokens: 8, repeats: 1, threadCounts: threads)
            : LLMBenchmark(
                modelPath: modelPath, python: python, script: script, maxTokens: tokens, repeats: repeats,
                threadCounts: threads)
        let report = try benchmark.run()
        try BenchCommand.output(report, json: json) { BenchLLMTable(report: $0).text }
    }

    /// `--model`, else the environment variable, else the wheel's file in the project (as `cloister infer`).
    var modelPath: String { ModelDirectoryOption.llmFile(given: model).path }
}

/// The human-readable table of `cloister bench llm`.
struct BenchLLMTable {
    let report: LLMBenchmark.Report

    var text: String {
        var lines = ["engine      threads  prompt tokens/s  generation tokens/s  ms/generated token"]
        for result in report.engine + report.llamacpp {
            lines.append(
                result.engine.padding(toLength: 11, withPad: " ", startingAt: 0)
                    + String(
                        format: " %7d %16.1f %20.1f %19.2f", result.threads, result.promptTokensPerSecond,
                        result.generationTokensPerSecond, result.millisecondsPerGeneratedToken))
        }
        if let generation = report.generationRatioVsLlamacpp1Thread, let prompt = report.promptRatioVsLlamacpp1Thread,
            report.ratioThreads != 1
        {
            lines.append(String(format: "1 thread, cloister / llama.cpp: generation %.2f×, prompt %.2f×", generation, prompt))
        }
        lines.append(
            "\(report.ratioThreads) thread\(report.ratioThreads == 1 ? "" : "s"), "
                + String(
                    format: "cloister / llama.cpp: generation %.2f×, prompt %.2f×",
                    report.generationRatioVsLlamacpp, report.promptRatioVsLlamacpp))
        lines.append(
            String(
                format: "peak memory: cloister %.0f MB, llama.cpp %.0f MB (its Python process)",
                report.enginePeakMemoryMB, report.llamacppPeakMemoryMB))
        lines.append(
            "prompts of \(report.promptTokens.map(String.init).joined(separator: ", ")) chat tokens, "
                + "\(report.generatedTokens.map(String.init).joined(separator: ", ")) generated tokens (greedy), "
                + "fastest of \(report.repeats) passes per phase")
        lines.append(
            "cloister identical across threads and passes: \(report.bitExactAcrossThreadsAndPasses ? "yes" : "NO"); "
                + "same generated tokens as llama.cpp on \(report.identicalGenerations) of \(report.generatedTokens.count) prompts")
        lines.append(
            "llama.cpp: llama-cpp-python \(report.llamacppPythonVersion), \(report.llamacppConfiguration), "
                + "\(report.llamacppModel) (\(report.llamacppModelBytes) bytes, \(report.llamacppVocabulary) tokens)")
        return lines.joined(separator: "\n")
    }
}
