import ArgumentParser
import Foundation
import Inference
import Benchmarks

/// `cloister bench inference [--json]`: the embedded engine against numpy float32 (OpenBLAS) and
/// ONNX Runtime on the same sentences, batch 1 and 32, 1 and 2 threads. Build with `-c release`.
struct BenchInferenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inference",
        abstract: "Embedded engine vs numpy float32 and ONNX Runtime: sentences/s at batch 1 and 32 with 1 and 2 threads."
    )

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Option(help: "Passes over the 64-sentence corpus per measurement; the fastest counts.")
    var repeats = 5

    @Option(help: "Python interpreter with numpy, tokenizers, safetensors, onnx and onnxruntime.")
    var python = ".venv/bin/python"

    @Option(help: "The numpy baseline script.")
    var script = "scripts/bench_numpy_inference.py"

    @Option(help: "The ONNX Runtime baseline script.")
    var onnxruntimeScript = "scripts/bench_onnxruntime_inference.py"

    @OptionGroup var model: ModelDirectoryOption

    func run() throws {
        let report = try InferenceBenchmark(
            files: model.files, python: python, numpyScript: script,
            onnxRuntimeScript: onnxruntimeScript, repeats: repeats
        ).run()
        try BenchCommand.output(report, json: json) { InferenceBenchmarkTable(report: $0).text }
    }
}
