import ArgumentParser

/// `cloister node …`: the oracle node's life cycle.
struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Run the oracle node, register its enclave, exit and withdraw.",
        subcommands: [
            NodeRunCommand.self, NodeStatusSubcommand.self, NodeRegisterCommand.self, NodeRotateKeyCommand.self, NodeExitCommand.self,
            NodeWithdrawCommand.self
        ]
    )
}
