import ArgumentParser

/// `cloister attest …`: inspect and verify Intel DCAP quotes.
struct AttestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attest",
        abstract: "Inspect and verify Intel SGX/TDX DCAP quotes.",
        subcommands: [
            AttestVerifyCommand.self,
            AttestShowCommand.self,
            AttestSimulateCommand.self
        ]
    )
}
