import Foundation

/// `cloister bench inference`: the embedded engine against numpy float32 on the same sentences,
/// at batch 1 and 32 with 1 and 2 threads, checking on the way that every configuration gives
/// bit-identical embeddings.
public struct InferenceBenchmark: Sendable {
    public struct Report: Sendable, Codable {
        public let sentences: Int
        public let repeats: Int
        public let swift: [ThroughputResult]
        public let numpy: [ThroughputResult]
        public let numpyKernel: String
        public let numpyVersion: String
        public let bitExactAcrossBatchesAndThreads: Bool
        public let swiftPeakMemoryMB: Double
        public let numpyPeakMemoryMB: Double
        public let batch32TwoThreadsRatioVsNumpy: Double

        enum CodingKeys: String, CodingKey {
            case sentences, repeats, swift, numpy, numpyKernel, numpyVersion, bitExactAcrossBatchesAndThreads
            case swiftPeakMemoryMB, numpyPeakMemoryMB
            case batch32TwoThreadsRatioVsNumpy = "batch32_2threads_ratio_vs_numpy"
        }
    }

    public let files: ModelFiles
    public let python: String
    public let script: String
    public let repeats: Int

    public init(files: ModelFiles, python: String, script: String, repeats: Int) {
        self.files = files
        self.python = python
        self.script = script
        self.repeats = max(1, repeats)
    }

    public func run() throws -> Report {
        let sentences = BenchmarkCorpus.sentences
        var swift: [ThroughputResult] = []
        var reference: [[Double]]?
        for threads in [1, 2] {
            let engine = try EmbeddedEngine(files: files, threads: threads)
            for batch in [1, 32] {
                var vectors: [[Double]] = []
                _ = engine.embeddings(Array(sentences.prefix(batch)))  // warm-up
                let seconds = Stopwatch.seconds {
                    for _ in 0..<repeats {
                        vectors = stride(from: 0, to: sentences.count, by: batch).flatMap { start in
                            engine.embeddings(Array(sentences[start..<min(start + batch, sentences.count)]))
                        }
                    }
                }
                if let reference, reference != vectors {
                    throw BenchmarkError.notBitExact("batch \(batch) with \(threads) threads and batch 1 with 1 thread")
                }
                reference = vectors
                swift.append(ThroughputResult(engine: "cloister", threads: threads, batch: batch,
                                              sentences: sentences.count * repeats, seconds: seconds))
            }
        }
        let baseline = NumpyBaseline(python: python, script: script)
        var numpy: [ThroughputResult] = []
        var reports: [NumpyBaseline.Report] = []
        for threads in [1, 2] {
            let report = try baseline.run(sentences: sentences, repeats: repeats, threads: threads)
            reports.append(report)
            for (batch, throughput) in [(1, report.batch1), (32, report.batch32)] {
                numpy.append(ThroughputResult(engine: "numpy-float32", threads: threads, batch: batch,
                                              sentences: sentences.count * repeats,
                                              seconds: throughput.ms_per_sentence * Double(sentences.count * repeats) / 1000))
            }
        }
        let swift32 = swift.first { $0.threads == 2 && $0.batch == 32 }?.sentencesPerSecond ?? 0
        let numpy32 = numpy.first { $0.threads == 2 && $0.batch == 32 }?.sentencesPerSecond ?? 1
        return Report(sentences: sentences.count, repeats: repeats, swift: swift, numpy: numpy,
                      numpyKernel: reports.map { "\($0.blas.kernel ?? "unknown") (\($0.blas.source ?? "?"), \($0.blas.threads.map(String.init) ?? "?") threads)" }.joined(separator: "; "),
                      numpyVersion: reports.first?.numpy ?? "unknown",
                      bitExactAcrossBatchesAndThreads: true,
                      swiftPeakMemoryMB: PeakMemory.megabytes(),
                      numpyPeakMemoryMB: reports.map(\.peak_rss_mb).max() ?? 0,
                      batch32TwoThreadsRatioVsNumpy: swift32 / numpy32)
    }
}
