import CloisterNode
import ArgumentParser
import Enclave
import Ethereum

/// `cloister envelope seal-output --to KEY … <output`: encrypt an output to the requester.
struct EnvelopeSealOutputCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seal-output",
        abstract: "Encrypt the output on stdin (raw bytes) to the requester's public key."
    )

    @OptionGroup var request: OutputContextOptions

    @Option(help: "The requester's public key (hex).")
    var to: String

    func run() throws {
        let output = try readStandardInput(hex: false)
        let sealed: EncryptedOutput
        do { sealed = try EncryptedOutput.seal(output, to: parsePublicKey(to), context: request.context()) } catch let error as OutputError {
            throw CommandError("cannot encrypt the output: \(error)")
        }
        try printJSON(["encryptedOutput": Hex.encode(sealed.bytes)])
    }
}

/// `cloister envelope open-output --key-file F … <hex`: the requester decrypts its output.
struct EnvelopeOpenOutputCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open-output",
        abstract: "Decrypt an encrypted output (hex on stdin) with the requester's key."
    )

    @OptionGroup var request: OutputContextOptions

    @Option(help: "File holding the requester's private key as 64 hex digits.")
    var keyFile: String

    func run() throws {
        let key = try OperatorKeyFiles.privateKey(at: keyFile)
        let bytes = try readStandardInput(hex: true)
        let output: [UInt8]
        do { output = try EncryptedOutput(bytes: bytes).open(with: key, expecting: request.context()) } catch let error as OutputError {
            throw CommandError("output rejected: \(error)")
        }
        try printJSON(["output": Hex.encode(output)])
    }
}
