import ArgumentParser
import Foundation

/// `cloister bench …`: benchmarks that print numbers next to a named reference measured in the same run.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure speed against a reference implementation in the same run.",
        subcommands: [
            BenchPrimitivesCommand.self,
            BenchInferenceCommand.self,
            BenchLLMCommand.self,
            BenchAttestationCommand.self,
            BenchEnvelopeCommand.self,
            BenchNodeCommand.self
        ]
    )
}

extension BenchCommand {
    /// Prints a benchmark's report: one JSON object (snake-case keys, sorted) with `json`, else its table.
    static func output<Report: Encodable>(_ report: Report, json: Bool, table: (Report) -> String) throws {
        guard json else { return print(table(report)) }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        print(String(decoding: try encoder.encode(report), as: UTF8.self))
    }
}
