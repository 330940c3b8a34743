import ArgumentParser

/// `cloister node …`: the oracle node's life cycle.
struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Run the oracle node, or register its enclave on chain.",
        subcommands: [NodeRunCommand.self, NodeRegisterCommand.self]
    )
}
