import Foundation
import Inference

/// The human-readable table of `cloister bench inference`.
struct InferenceBenchmarkTable {
    let report: InferenceBenchmark.Report

    var text: String {
        var lines = [
            "engine           threads  batch  sentences/s  ms/sentence",
        ]
        for result in report.swift + report.numpy {
            lines.append(String(format: "%-16@ %7d %6d %12.1f %12.2f", result.engine as NSString, result.threads,
                                result.batch, result.sentencesPerSecond, result.millisecondsPerSentence))
        }
        lines.append(String(format: "batch 32, 2 threads, cloister / numpy: %.2f×", report.batch32TwoThreadsRatioVsNumpy))
        lines.append("bit-exact across batches and threads: \(report.bitExactAcrossBatchesAndThreads ? "yes" : "NO")")
        lines.append(String(format: "peak memory: cloister %.0f MB, numpy %.0f MB", report.swiftPeakMemoryMB, report.numpyPeakMemoryMB))
        lines.append("numpy \(report.numpyVersion), OpenBLAS kernel: \(report.numpyKernel)")
        lines.append("\(report.sentences) sentences × \(report.repeats) repeats per measurement")
        return lines.joined(separator: "\n")
    }
}
