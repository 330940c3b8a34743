import ArgumentParser
import CloisterNode

/// The `cloister` command: the node, the operator utilities and the dApp client in one binary.
/// Each subcommand parses its arguments and calls library code; nothing else lives here.
@main
struct Cloister: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cloister",
        abstract: "Confidential AI oracle for EVM chains.",
        version: Release.version,
        subcommands: [
            KeccakCommand.self,
            InferCommand.self,
            PrivacyNoiseCommand.self,
            ModelCommand.self,
            EnvelopeCommand.self,
            TypedDataCommand.self,
            BenchCommand.self,
            KeyCommand.self,
            TxCommand.self,
            AttestCommand.self,
            NodeCommand.self,
            CommitteeCommand.self,
            RequestCommand.self,
            ResultCommand.self,
            RefundCommand.self,
            ProveWrapCommand.self
        ]
    )
}
