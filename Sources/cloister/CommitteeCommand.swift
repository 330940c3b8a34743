import ArgumentParser
import CloisterNode
import Committee
import Foundation

/// `cloister committee serve …`: one attestation committee member as an HTTP service.
struct CommitteeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "committee",
        abstract: "Serve as an attestation committee member: verify nodes' quotes and sign acceptances.",
        subcommands: [CommitteeServeCommand.self]
    )
}

struct CommitteeServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Verify quotes posted to /v1/acceptances (DCAP, TCB status, REPORTDATA binding) and sign the acceptances."
    )

    @Option(help: "A JSON-RPC URL of the chain, to check the deployment's chain id against at start (optional).")
    var rpc: String?

    @Option(help: "The deployment file written by scripts/deploy.py (chain id, registry and committee contracts).")
    var deployment: String

    @OptionGroup var keyFiles: KeystoreOptions

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "TCP port (0 picks a free one; the chosen one is printed).")
    var port = 9300

    @Flag(help: "Trust the simulated TEE's root instead of Intel's (development chains only; refused on public chains).")
    var allowSimulated = false

    @Option(help: "Seed text of the simulated TEE (the nodes' enclave.simulation_seed).")
    var simulationSeed = "cloister-dev"

    @Option(help: "The longest registration the member vouches for, in days.")
    var maxValidityDays: UInt64 = 30

    func run() async throws {
        let key = try OperatorKeyFiles.decrypt(keystore: keyFiles.keystore, passwordFile: keyFiles.passwordFile)
        let logger = try CommandLogging.logger("cloister.committee")
        do {
            try await CommitteeServer.serve(
                rpcURL: rpc, deploymentPath: deployment, key: key, host: host, port: port,
                simulationSeed: allowSimulated ? simulationSeed : nil,
                maxValiditySeconds: maxValidityDays * 86_400, logger: logger
            ) { line in
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            }
        } catch {
            throw CommandError("committee: \(error)")
        }
    }
}
