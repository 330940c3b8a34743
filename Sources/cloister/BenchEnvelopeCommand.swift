import Benchmarks
import ArgumentParser
import Enclave

/// `cloister bench envelope [--iterations N] [--payload-bytes N]`: seal and open times by recipient
/// count, as medians of thread CPU time. Build with `-c release` for meaningful numbers.
struct BenchEnvelopeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "envelope",
        abstract: "Envelope seal (dApp) and open (enclave) time for 1, 3, 10 and 30 recipients."
    )

    @Option(help: "Runs per recipient count (the median is printed).")
    var iterations = 200

    @Option(help: "Payload size in bytes.")
    var payloadBytes = 1024

    @Option(name: .customLong("recipients"), help: "A recipient count to measure; repeat for several (default 1, 3, 10, 30).")
    var recipientCounts: [Int] = [1, 3, 10, 30]

    func run() throws {
        let results: [EnvelopeBenchmark.Result]
        do { results = try EnvelopeBenchmark.run(recipientCounts: recipientCounts, payloadBytes: payloadBytes, iterations: iterations) } catch {
            throw CommandError("benchmark failed: \(error)")
        }
        print("| recipients | payload (B) | envelope (B) | seal (µs CPU) | open (µs CPU) |")
        print("| ---: | ---: | ---: | ---: | ---: |")
        for row in results {
            print("| \(row.recipients) | \(row.payloadBytes) | \(row.envelopeBytes) | \(format(row.sealMicroseconds)) | \(format(row.openMicroseconds)) |")
        }
    }

    private func format(_ value: Double) -> String {
        String(Int(value.rounded()))
    }
}
