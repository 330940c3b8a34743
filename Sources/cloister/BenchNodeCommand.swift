import Benchmarks
import ArgumentParser
import CloisterNode
import Foundation

/// `cloister bench node [--requests N | --recorded FILE]`: node CPU time per request (inference excluded)
/// through a backlog of requests, synthetic or recorded from a chain. Build with `-c release` for meaningful numbers.
struct BenchNodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Node CPU per request, inference excluded, working through a backlog of recorded requests (goal: at most 1 ms)."
    )

    @Option(help: "Requests in a synthetic backlog (ignored with --recorded).")
    var requests = 10_000

    @Option(help: "A backlog recorded from a chain by scripts/record_backlog.py.")
    var recorded: String?

    func run() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cloister-bench-node-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let report: NodeBenchmark.Report
        do {
            let backlog = try recorded.map { try Backlog.recorded(path: $0) } ?? Backlog.synthetic(requests: requests)
            print("backlog: \(backlog.requests) requests, \(backlog.source)")
            report = try await NodeBenchmark.run(backlog, folder: folder)
        } catch {
            throw CommandError("benchmark failed: \(error)")
        }
        print("| requests | transactions | wall (s) | requests/s | node CPU (s) | CPU per request (ms) | goal (ms) | peak RSS (MB) |")
        print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        print(
            "| \(report.requests) | \(report.transactions) | \(String(format: "%.2f", report.wallSeconds)) | \(String(format: "%.0f", report.requestsPerSecond)) "
                + "| \(String(format: "%.2f", report.cpuSeconds)) | \(String(format: "%.3f", report.cpuMillisecondsPerRequest)) | 1.000 "
                + "| \(String(format: "%.0f", report.peakResidentMegabytes)) |")
    }
}
