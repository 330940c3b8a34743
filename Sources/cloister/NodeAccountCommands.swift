import ArgumentParser
import CloisterNode
import Ethereum

/// `--node-id N`: which of the operator's nodes (needed only when it runs several).
struct NodeIDOption: ParsableArguments {
    @Option(help: "The node id (default: the operator's only node).")
    var nodeId: String?

    func parsed() throws -> UInt256? {
        do { return try nodeId.map { try UInt256(parsing: $0) } } catch { throw ValidationError("--node-id: not a decimal node id") }
    }
}

/// `cloister node exit --config …`: stop taking requests; the stake unbonds.
struct NodeExitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exit",
        abstract: "Stop the node taking new requests and start unbonding its stake."
    )

    @OptionGroup var options: NodeConfigurationOption
    @OptionGroup var node: NodeIDOption

    func run() async throws {
        let configuration = try options.load()
        let key = try options.operatorKey(configuration)
        do { print(try await OperatorActions.exit(configuration: configuration, operatorKey: key, nodeID: try node.parsed())) } catch {
            throw CommandError("node exit: \(error)")
        }
    }
}

/// `cloister node withdraw --config …`: the unbonded stake, then every credit, to the operator wallet.
struct NodeWithdrawCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "withdraw",
        abstract: "Withdraw what the chain owes the operator: fees, refunds, slash shares, and the stake once unbonded."
    )

    @OptionGroup var options: NodeConfigurationOption
    @OptionGroup var node: NodeIDOption

    func run() async throws {
        let configuration = try options.load()
        let key = try options.operatorKey(configuration)
        do { print(try await OperatorActions.withdraw(configuration: configuration, operatorKey: key, nodeID: try node.parsed())) } catch {
            throw CommandError("node withdraw: \(error)")
        }
    }
}

/// `cloister node status --config …`: the node's standing as the chain shows it, for a stopped node too.
struct NodeStatusSubcommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show whether the chain lets the node work: status, stake, key, attestation, and what to fix (exit code 1 if it cannot work)."
    )

    @OptionGroup var options: NodeConfigurationOption

    func run() async throws {
        let configuration = try options.load()
        let key = try options.operatorKey(configuration)
        let report: (lines: [String], canWork: Bool)
        do { report = try await NodeStatusCommand.report(configuration: configuration, operatorKey: key) } catch {
            throw CommandError("node status: \(error)")
        }
        print(report.lines.joined(separator: "\n"))
        if !report.canWork { throw ExitCode(1) }
    }
}
