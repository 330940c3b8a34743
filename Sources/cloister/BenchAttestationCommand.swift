import Benchmarks
import ArgumentParser
import Attestation
import Foundation

/// `cloister bench attestation [--fixtures DIR] [--json]`: quote parsing and full DCAP verification of
/// the real Intel quotes in `fixtures/dcap`, next to one P-256 verification. Build with `-c release`.
struct BenchAttestationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attestation",
        abstract: "Time DCAP quote parsing and verification (real Intel TDX and SGX quotes)."
    )

    @Option(help: "The folder holding tdx_quote, sgx_quote and their collateral JSON.")
    var fixtures = "fixtures/dcap"

    @Option(help: "Rounds per measurement (the best is reported).")
    var rounds = 5

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func run() async throws {
        let time = try AttestFiles.time("2025-06-25T00:00:00Z")
        var cases: [DCAPBenchmark.Case] = []
        for kind in ["tdx", "sgx"] {
            let quote = try AttestFiles.read("\(fixtures)/\(kind)_quote")
            let collateral = try QuoteCollateral(json: AttestFiles.read("\(fixtures)/\(kind)_quote_collateral.json"))
            cases.append(.init(name: "\(kind.uppercased()) quote", quote: quote, collateral: collateral, time: time))
        }
        let rows = try await DCAPBenchmark.run(cases, rounds: rounds)
        if json {
            print(try AttestFiles.json(["results": rows]))
        } else {
            for row in rows {
                print(
                    row.name.padding(toLength: 40, withPad: " ", startingAt: 0)
                        + String(format: "%10.1f µs  %10.0f /s", row.microsecondsPerOperation, row.operationsPerSecond))
            }
        }
    }
}
