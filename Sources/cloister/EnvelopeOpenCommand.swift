import ArgumentParser
import Enclave
import Ethereum

/// `cloister envelope open --keyring … <envelope-hex`: the enclave side, for tests and debugging.
struct EnvelopeOpenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open the envelope (hex on stdin) with the enclave keyring; prints the payload and commitment."
    )

    @OptionGroup var request: EnvelopeContextOptions
    @OptionGroup var keyringOptions: KeyringOptions

    @Option(help: "An output (hex) to print the salted commitment of.")
    var output: String = "0x"

    func run() async throws {
        let keyring = try keyringOptions.open()
        let bytes = try readStandardInput(hex: true)
        let opened: OpenedEnvelope
        do {
            opened = try await keyring.open(Envelope(bytes: bytes), expecting: request.context())
        } catch let error as EnvelopeError {
            throw CommandError("envelope rejected: \(error)")
        }
        guard let outputBytes = try? Hex.decode(output) else { throw CommandError("--output is not hex") }
        try printJSON([
            "payload": Hex.encode(opened.payload),
            "commitment": opened.commitmentSalt.commitment(to: outputBytes).hex
        ])
    }
}
