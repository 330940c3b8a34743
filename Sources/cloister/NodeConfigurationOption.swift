import CloisterNode
import ArgumentParser
import Logging
import CloisterConfiguration
import Foundation
import Secp256k1

/// `--config FILE`, loaded and validated, plus what every node command derives from it.
struct NodeConfigurationOption: ParsableArguments {
    @Option(help: "The node's configuration file (docs/configuration.md); CLOISTER_* variables override its keys.")
    var config: String

    func load() throws -> NodeConfiguration {
        do { return try NodeConfiguration.load(path: config) } catch { throw CommandError("\(error)") }
    }

    /// The operator wallet named by `operator.keystore` and `operator.password_file`.
    func operatorKey(_ configuration: NodeConfiguration) throws -> PrivateKey {
        try OperatorKeyFiles.decrypt(keystore: configuration.operatorWallet.keystorePath, passwordFile: configuration.operatorWallet.passwordFile)
    }
}

/// Logs on standard error, at `info` unless `CLOISTER_LOG_LEVEL` says otherwise, as text or (`log.format`)
/// one JSON object per line.
enum CommandLogging {
    static func logger(_ label: String, format: LogSettings.Format = .text) throws -> Logger {
        var level = Logger.Level.info
        if let text = ProcessInfo.processInfo.environment["CLOISTER_LOG_LEVEL"] {
            guard let chosen = Logger.Level(rawValue: text.lowercased()) else {
                throw CommandError(
                    "CLOISTER_LOG_LEVEL=\(text) is not a log level: use one of "
                        + Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))
            }
            level = chosen
        }
        switch format {
        case .text: LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        case .json: LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
        }
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }
}
