import Foundation

/// Runs `scripts/bench_numpy_inference.py` (numpy float32 on OpenBLAS) as a subprocess with the
/// given thread count, with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed from its environment so
/// that OpenBLAS picks its kernel for this CPU itself.
struct NumpyBaseline {
    struct Report: Decodable {
        struct Blas: Decodable {
            let kernel: String?
            let threads: Int?
            let source: String?
        }
        struct Throughput: Decodable {
            let sentences_per_second: Double
            let ms_per_sentence: Double
        }
        let blas: Blas
        let numpy: String
        let batch1: Throughput
        let batch32: Throughput
        let peak_rss_mb: Double
    }

    let python: String
    let script: String

    func run(sentences: [String], repeats: Int, threads: Int) throws(BenchmarkError) -> Report {
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
            let request = try JSONSerialization.data(withJSONObject: ["sentences": sentences, "repeats": repeats])
            input.fileHandleForWriting.write(request)
            try input.fileHandleForWriting.close()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw BenchmarkError.baselineFailed("exit status \(process.terminationStatus)") }
            return try JSONDecoder().decode(Report.self, from: data)
        } catch let error as BenchmarkError {
            throw error
        } catch {
            throw .baselineFailed("\(python) \(script): \(error)")
        }
    }
}

/// Why a benchmark could not run.
public enum BenchmarkError: Error, CustomStringConvertible {
    case baselineFailed(String)
    case notBitExact(String)

    public var description: String {
        switch self {
        case .baselineFailed(let reason): "numpy baseline failed: \(reason)"
        case .notBitExact(let what): "outputs differ between \(what); the engine is not deterministic"
        }
    }
}
