import ArgumentParser
import CloisterNode
import Ethereum
import Foundation
import Logging
import CloisterConfiguration

/// `cloister-adversary --config FILE --wrong-share-bps N`: `cloister node run` with an engine that returns
/// wrong outputs for a share of inputs. A separate binary, built for the adversarial scenario and its
/// test (`make adversarial`); the `cloister` binary has no option that makes a node cheat.
@main
struct AdversaryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cloister-adversary",
        abstract: "TEST ONLY: a Cloister node whose engine lies for a share of inputs."
    )

    @Option(help: "The node's configuration file, as for `cloister node run`.")
    var config: String

    @Option(help: "Share of inputs that get a wrong output, in basis points (0-10000).")
    var wrongShareBps: UInt16

    func validate() throws {
        guard wrongShareBps <= 10_000 else { throw ValidationError("--wrong-share-bps must be at most 10000") }
    }

    func run() async throws {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        var logger = Logger(label: "cloister.adversary")
        logger.logLevel = ProcessInfo.processInfo.environment["CLOISTER_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        let configuration = try NodeConfiguration.load(path: config)
        let key = try OperatorKeyFiles.decrypt(
            keystore: configuration.operatorWallet.keystorePath,
            passwordFile: configuration.operatorWallet.passwordFile)
        logger.warning("TEST ONLY: this node returns wrong outputs", metadata: ["wrong_share_bps": "\(wrongShareBps)"])
        let share = wrongShareBps
        try await NodeRunner.run(
            configuration: configuration, operatorKey: key, logger: logger,
            wrapping: RunnerWrapping(
                engine: { CheatingRunner(honest: $0, wrongShareBps: share) },
                llm: { CheatingLLMRunner(honest: $0, wrongShareBps: share) }))
    }
}
