import ArgumentParser
import CloisterNode
import Foundation

/// `cloister bench node [--requests N]`: node CPU time per request (inference excluded) through a
/// backlog of recorded requests. Build with `-c release` for meaningful numbers.
struct BenchNodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Node CPU per request, inference excluded, working through a backlog of recorded requests (goal: at most 1 ms)."
    )

    @Option(help: "Requests in the backlog.")
    var requests = 10_000

    func run() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cloister-bench-node-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let report: NodeBenchmark.Report
        do { report = try await NodeBenchmark.run(requests: requests, folder: folder) } catch {
            throw CommandError("benchmark failed: \(error)")
        }
        print("| requests | transactions | wall (s) | requests/s | node CPU (s) | CPU per request (ms) | goal (ms) | peak RSS (MB) |")
        print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        print("| \(report.requests) | \(report.transactions) | \(String(format: "%.2f", report.wallSeconds)) | \(String(format: "%.0f", report.requestsPerSecond)) "
              + "| \(String(format: "%.2f", report.cpuSeconds)) | \(String(format: "%.3f", report.cpuMillisecondsPerRequest)) | 1.000 "
              + "| \(String(format: "%.0f", report.peakResidentMegabytes)) |")
    }
}
