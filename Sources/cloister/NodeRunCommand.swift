import ArgumentParser
import CloisterNode

/// `cloister node run --config cloister.toml`: the node, until SIGTERM or SIGINT.
struct NodeRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Watch the chain for requests, execute them in the enclave and post the signed results."
    )

    @OptionGroup var options: NodeConfigurationOption

    func run() async throws {
        let configuration = try options.load()
        let key = try options.operatorKey(configuration)
        let logger = try CommandLogging.logger("cloister.node", format: configuration.log.format)
        do {
            try await NodeRunner.run(configuration: configuration, operatorKey: key, logger: logger)
        } catch {
            throw CommandError("node: \(error)")
        }
    }
}
