import Foundation

/// A reference engine run as a Python subprocess: the request (for the embedding baselines:
/// sentences, repeats, threads) as JSON on its stdin, one JSON report on its stdout. OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are
/// removed from its environment so that OpenBLAS picks its kernel for this CPU itself, and the
/// OpenBLAS and OpenMP thread counts are set to the run's thread count.
struct PythonBaseline {
    let python: String
    let script: String

    func run<Report: Decodable>(
        sentences: [String], repeats: Int, threads: Int,
        as type: Report.Type
    ) throws(BenchmarkError) -> Report {
        try run(request: ["sentences": sentences, "repeats": repeats, "threads": threads], threads: threads, as: type)
    }

    /// Runs the script once with `request` (a JSON object; `threads` sets the thread variables).
    func run<Report: Decodable>(
        request: [String: Any], threads: Int,
        as type: Report.Type
    ) throws(BenchmarkError) -> Report {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script]
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_CORETYPE"] = nil
        environment["OPENBLAS_L2_SIZE"] = nil
        environment["OPENBLAS_NUM_THREADS"] = String(threads)
        environment["OMP_NUM_THREADS"] = String(threads)
        process.environment = environment
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        do {
            try process.run()
            input.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: request))
            try input.fileHandleForWriting.close()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw BenchmarkError.baselineFailed("\(script): exit status \(process.terminationStatus)")
            }
            return try JSONDecoder().decode(Report.self, from: data)
        } catch let error as BenchmarkError {
            throw error
        } catch {
            throw .baselineFailed("\(python) \(script): \(error)")
        }
    }
}

/// What both baseline scripts report for one thread count.
struct BaselineThroughput: Decodable {
    let sentences_per_second: Double
    let ms_per_sentence: Double
}

/// `scripts/bench_numpy_inference.py`: numpy float32 on OpenBLAS.
struct NumpyReport: Decodable {
    struct Blas: Decodable {
        let kernel: String?
        let threads: Int?
        let source: String?
    }
    let blas: Blas
    let numpy: String
    let batch1: BaselineThroughput
    let batch32: BaselineThroughput
    let peak_rss_mb: Double
}

/// `scripts/bench_onnxruntime_inference.py`: ONNX Runtime on a graph built from the same weights.
struct OnnxRuntimeReport: Decodable {
    let onnxruntime: String
    let batch1: BaselineThroughput
    let batch32: BaselineThroughput
    /// Every sentence's embedding at batch 1, for the agreement check against the engine.
    let embeddings: [[Double]]
    let batch1_vs_batch32_max_abs_difference: Double
    let peak_rss_mb: Double
}

/// Why a benchmark could not run.
package enum BenchmarkError: Error, CustomStringConvertible {
    case baselineFailed(String)
    case notBitExact(String)
    case referenceDisagrees(String)
    case engineFailed(String)

    package var description: String {
        switch self {
        case .baselineFailed(let reason): "baseline failed: \(reason)"
        case .notBitExact(let what): "outputs differ between \(what); the engine is not deterministic"
        case .referenceDisagrees(let what): "the reference disagrees with the engine: \(what)"
        case .engineFailed(let reason): "the engine failed: \(reason)"
        }
    }
}
