import ArgumentParser

/// `cloister bench …`: benchmarks that print numbers next to a named reference measured in the same run.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure speed against a reference implementation in the same run.",
        subcommands: [
            BenchPrimitivesCommand.self,
            BenchInferenceCommand.self,
            BenchAttestationCommand.self,
            BenchEnvelopeCommand.self,
            BenchNodeCommand.self,
        ]
    )
}
