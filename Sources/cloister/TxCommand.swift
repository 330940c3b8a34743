import ArgumentParser

/// `cloister tx decode <raw hex> [--json]`: transaction utilities.
struct TxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tx",
        abstract: "Inspect raw signed transactions.",
        subcommands: [TxDecodeCommand.self]
    )
}
