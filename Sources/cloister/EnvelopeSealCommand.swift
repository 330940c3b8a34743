import ArgumentParser
import Enclave
import Ethereum

/// `cloister envelope seal --recipient KEY … <payload`: the dApp side.
struct EnvelopeSealCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seal",
        abstract: "Encrypt the payload on stdin (raw bytes) for the recipient enclaves; prints the envelope."
    )

    @OptionGroup var request: EnvelopeContextOptions

    @Option(name: .customLong("recipient"), help: "Recipient enclave public key (hex); repeat for each.")
    var recipients: [String]

    @Flag(help: "Also print each recipient's wrap ephemeral secret e_i (what `Arbiter.proveWrap` takes). Whoever holds them can decrypt the payload.")
    var wrapSecrets = false

    func run() throws {
        let keys = try recipients.map(parsePublicKey)
        let payload = try readStandardInput(hex: false)
        let sealed: SealedEnvelope
        do { sealed = try EnvelopeSealer(context: request.context()).seal(payload, for: keys) } catch let error as EnvelopeError {
            throw CommandError("cannot seal: \(error)")
        }
        var output = [
            "envelope": Hex.encode(sealed.envelope.bytes),
            "commitmentSalt": Hex.encode(sealed.commitmentSalt.exposedBytes)
        ]
        if wrapSecrets {
            output["wrapSecrets"] = sealed.wrapSecrets.map { Hex.encode($0.revealedBytes()) }.joined(separator: ",")
        }
        try printJSON(output)
    }
}
