import Foundation
import Benchmarks

/// The human-readable table of `cloister bench inference`.
struct InferenceBenchmarkTable {
    let report: InferenceBenchmark.Report

    var text: String {
        var lines = [
            "engine           threads  batch  sentences/s  ms/sentence"
        ]
        for result in report.swift + report.numpy + report.onnxruntime {
            let engine = result.engine.padding(toLength: 16, withPad: " ", startingAt: 0)
            lines.append(
                engine
                    + String(
                        format: " %7d %6d %12.1f %12.2f", result.threads,
                        result.batch, result.sentencesPerSecond, result.millisecondsPerSentence))
        }
        lines.append(String(format: "batch 32, 2 threads, cloister / numpy: %.2f×", report.batch32TwoThreadsRatioVsNumpy))
        lines.append(String(format: "batch 1, 2 threads, cloister / onnxruntime: %.2f×", report.batch1TwoThreadsRatioVsOnnxRuntime))
        lines.append(String(format: "batch 32, 2 threads, cloister / onnxruntime: %.2f×", report.batch32TwoThreadsRatioVsOnnxRuntime))
        lines.append("bit-exact across batches and threads: \(report.bitExactAcrossBatchesAndThreads ? "yes" : "NO")")
        lines.append(
            String(
                format: "onnxruntime vs cloister embeddings: largest difference %.2e (tolerance %.0e)",
                report.onnxruntimeMaxAbsDifference, report.onnxruntimeTolerance))
        lines.append(
            String(
                format: "peak memory: cloister %.0f MB, numpy %.0f MB, onnxruntime %.0f MB", report.swiftPeakMemoryMB,
                report.numpyPeakMemoryMB, report.onnxruntimePeakMemoryMB))
        lines.append("numpy \(report.numpyVersion), OpenBLAS kernel: \(report.numpyKernel); onnxruntime \(report.onnxruntimeVersion)")
        lines.append("\(report.sentences) sentences, fastest of \(report.repeats) passes per measurement")
        return lines.joined(separator: "\n")
    }
}
