/// The primitives benchmark behind `cloister bench primitives`.
package enum PrimitiveBenchmarks {
    /// Runs every primitive benchmark; takes some seconds.
    package static func run() throws -> [BenchmarkResult] {
        var results = [
            KeccakBenchmark.run(size: 1024, label: "1 KiB"),
            KeccakBenchmark.run(size: 1 << 20, label: "1 MiB")
        ]
        results += try Secp256k1Benchmark.run()
        results.append(try TransactionBenchmark.run())
        return results
    }
}
