import ArgumentParser
import Foundation
import Benchmarks

/// `cloister bench primitives [--json]`: Keccak-256 against OpenSSL's SHA3-256, and the secp256k1
/// wrapper against direct libsecp256k1 calls. Build with `-c release` for meaningful numbers.
struct BenchPrimitivesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "primitives",
        abstract: "Keccak-256 vs OpenSSL SHA3-256; secp256k1 wrapper vs direct libsecp256k1."
    )

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func run() throws {
        let results = try PrimitiveBenchmarks.run()
        if json {
            print(try BenchmarkReport(results: results).jsonText())
        } else {
            print(BenchmarkReport(results: results).table())
        }
    }
}
