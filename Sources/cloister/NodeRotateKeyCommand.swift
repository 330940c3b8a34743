import ArgumentParser
import CloisterNode

/// `cloister node rotate-key --config … --committee URL…`: a new enclave key for the same node.
struct NodeRotateKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-key",
        abstract: "Generate a new enclave key and move the node to it (stop the node first; start it again afterwards).",
        discussion: """
            The old key stays in the sealed keyring, so envelopes already addressed to it still open; every new \
            result is signed with the new key, the only one the registry accepts once the re-attestation lands. \
            If the re-attestation fails, running the command again retries it without rotating twice.
            """
    )

    @OptionGroup var options: NodeConfigurationOption

    @OptionGroup var attestation: AttestationRequestOptions

    func run() async throws {
        let configuration = try options.load()
        let key = try options.operatorKey(configuration)
        do {
            print(
                try await EnclaveRegistration.rotateKey(
                    configuration: configuration, operatorKey: key, committeeURLs: attestation.committeeURLs,
                    validitySeconds: attestation.validitySeconds, logger: try CommandLogging.logger("cloister.register")))
        } catch {
            throw CommandError("node rotate-key: \(error)")
        }
    }
}
