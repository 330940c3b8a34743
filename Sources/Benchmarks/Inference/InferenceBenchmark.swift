import Foundation
import Inference

/// `cloister bench inference`: the embedded engine against numpy float32 and ONNX Runtime on the
/// same sentences, at batch 1 and 32 with 1 and 2 threads (each cell the fastest of `repeats`
/// passes over the 64 sentences, for every engine alike), checking on the way that every
/// configuration of the engine gives bit-identical embeddings and that ONNX Runtime's embeddings
/// agree with the engine's within `onnxRuntimeTolerance`.
package struct InferenceBenchmark: Sendable {
    /// Largest absolute difference allowed between an ONNX Runtime and an engine embedding
    /// component (unit vectors, both float32 computations of the same model).
    package static let onnxRuntimeTolerance = 1e-5

    package struct Report: Sendable, Codable {
        package let sentences: Int
        package let repeats: Int
        package let swift: [ThroughputResult]
        package let numpy: [ThroughputResult]
        package let onnxruntime: [ThroughputResult]
        package let numpyKernel: String
        package let numpyVersion: String
        package let onnxruntimeVersion: String
        package let bitExactAcrossBatchesAndThreads: Bool
        /// Largest |ONNX Runtime − engine| over every component of every sentence's embedding.
        package let onnxruntimeMaxAbsDifference: Double
        package let onnxruntimeTolerance: Double
        package let swiftPeakMemoryMB: Double
        package let numpyPeakMemoryMB: Double
        package let onnxruntimePeakMemoryMB: Double
        package let batch32TwoThreadsRatioVsNumpy: Double
        package let batch1TwoThreadsRatioVsOnnxRuntime: Double
        package let batch32TwoThreadsRatioVsOnnxRuntime: Double

        enum CodingKeys: String, CodingKey {
            case sentences, repeats, swift, numpy, onnxruntime, numpyKernel, numpyVersion, onnxruntimeVersion
            case bitExactAcrossBatchesAndThreads, onnxruntimeMaxAbsDifference, onnxruntimeTolerance
            case swiftPeakMemoryMB, numpyPeakMemoryMB, onnxruntimePeakMemoryMB
            case batch32TwoThreadsRatioVsNumpy = "batch32_2threads_ratio_vs_numpy"
            case batch1TwoThreadsRatioVsOnnxRuntime = "batch1_2threads_ratio_vs_onnxruntime"
            case batch32TwoThreadsRatioVsOnnxRuntime = "batch32_2threads_ratio_vs_onnxruntime"
        }

        /// Engine sentences/s over the reference's at `batch` with 2 threads.
        static func ratio(_ engine: [ThroughputResult], _ reference: [ThroughputResult], batch: Int) -> Double {
            let ours = engine.first { $0.threads == 2 && $0.batch == batch }?.sentencesPerSecond ?? 0
            let theirs = reference.first { $0.threads == 2 && $0.batch == batch }?.sentencesPerSecond ?? .infinity
            return ours / theirs
        }
    }

    package let files: ModelFiles
    package let python: String
    package let numpyScript: String
    package let onnxRuntimeScript: String
    package let repeats: Int

    package init(files: ModelFiles, python: String, numpyScript: String, onnxRuntimeScript: String, repeats: Int) {
        self.files = files
        self.python = python
        self.numpyScript = numpyScript
        self.onnxRuntimeScript = onnxRuntimeScript
        self.repeats = max(1, repeats)
    }

    package func run() throws -> Report {
        let sentences = BenchmarkCorpus.sentences
        let total = sentences.count  // each cell is the fastest of `repeats` passes over the sentences
        var swift: [ThroughputResult] = []
        var reference: [[Double]]?
        for threads in [1, 2] {
            let engine = try EmbeddedEngine(files: files, threads: threads)
            for batch in [1, 32] {
                var vectors: [[Double]] = []
                _ = engine.embeddings(Array(sentences.prefix(batch)))  // warm-up
                var seconds = Double.infinity
                for _ in 0..<repeats {
                    seconds = min(
                        seconds,
                        Stopwatch.seconds {
                            vectors = stride(from: 0, to: sentences.count, by: batch).flatMap { start in
                                engine.embeddings(Array(sentences[start..<min(start + batch, sentences.count)]))
                            }
                        })
                }
                if let reference, reference != vectors {
                    throw BenchmarkError.notBitExact("batch \(batch) with \(threads) threads and batch 1 with 1 thread")
                }
                reference = vectors
                swift.append(ThroughputResult(engine: "cloister", threads: threads, batch: batch, sentences: total, seconds: seconds))
            }
        }
        func results(_ engine: String, threads: Int, _ pairs: [(Int, BaselineThroughput)]) -> [ThroughputResult] {
            pairs.map { batch, throughput in
                ThroughputResult(
                    engine: engine, threads: threads, batch: batch, sentences: total,
                    seconds: throughput.ms_per_sentence * Double(total) / 1000)
            }
        }
        let numpyBaseline = PythonBaseline(python: python, script: numpyScript)
        var numpy: [ThroughputResult] = []
        var numpyReports: [NumpyReport] = []
        for threads in [1, 2] {
            let report = try numpyBaseline.run(sentences: sentences, repeats: repeats, threads: threads, as: NumpyReport.self)
            numpyReports.append(report)
            numpy += results("numpy-float32", threads: threads, [(1, report.batch1), (32, report.batch32)])
        }
        let onnxBaseline = PythonBaseline(python: python, script: onnxRuntimeScript)
        var onnxruntime: [ThroughputResult] = []
        var onnxReports: [OnnxRuntimeReport] = []
        var difference = 0.0
        for threads in [1, 2] {
            let report = try onnxBaseline.run(sentences: sentences, repeats: repeats, threads: threads, as: OnnxRuntimeReport.self)
            onnxReports.append(report)
            onnxruntime += results("onnxruntime", threads: threads, [(1, report.batch1), (32, report.batch32)])
            difference = max(difference, try Self.maxAbsDifference(report.embeddings, reference ?? []))
        }
        guard difference <= Self.onnxRuntimeTolerance else {
            throw BenchmarkError.referenceDisagrees("largest embedding difference \(difference) > \(Self.onnxRuntimeTolerance)")
        }
        return Report(
            sentences: sentences.count, repeats: repeats, swift: swift, numpy: numpy, onnxruntime: onnxruntime,
            numpyKernel: numpyReports.map { "\($0.blas.kernel ?? "unknown") (\($0.blas.source ?? "?"), \($0.blas.threads.map(String.init) ?? "?") threads)" }.joined(
                separator: "; "),
            numpyVersion: numpyReports.first?.numpy ?? "unknown",
            onnxruntimeVersion: onnxReports.first?.onnxruntime ?? "unknown",
            bitExactAcrossBatchesAndThreads: true,
            onnxruntimeMaxAbsDifference: difference,
            onnxruntimeTolerance: Self.onnxRuntimeTolerance,
            swiftPeakMemoryMB: PeakMemory.megabytes(),
            numpyPeakMemoryMB: numpyReports.map(\.peak_rss_mb).max() ?? 0,
            onnxruntimePeakMemoryMB: onnxReports.map(\.peak_rss_mb).max() ?? 0,
            batch32TwoThreadsRatioVsNumpy: Report.ratio(swift, numpy, batch: 32),
            batch1TwoThreadsRatioVsOnnxRuntime: Report.ratio(swift, onnxruntime, batch: 1),
            batch32TwoThreadsRatioVsOnnxRuntime: Report.ratio(swift, onnxruntime, batch: 32))
    }

    /// Largest component difference between two lists of embeddings of the same sentences.
    static func maxAbsDifference(_ a: [[Double]], _ b: [[Double]]) throws(BenchmarkError) -> Double {
        guard a.count == b.count, zip(a, b).allSatisfy({ $0.count == $1.count }) else {
            throw .referenceDisagrees("\(a.count) embeddings against \(b.count), or of other lengths")
        }
        var largest = 0.0
        for (x, y) in zip(a, b) {
            for (u, v) in zip(x, y) { largest = max(largest, abs(u - v)) }
        }
        return largest.isNaN ? .infinity : largest
    }
}
