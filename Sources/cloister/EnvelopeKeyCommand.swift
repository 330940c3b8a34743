import ArgumentParser
import Enclave
import Ethereum

/// `cloister envelope key --keyring …`: the enclave's current signer and public key (never the secret).
struct EnvelopeKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Print the enclave keyring's current signer address and public key, creating the keyring if needed."
    )

    @OptionGroup var keyringOptions: KeyringOptions

    @Flag(help: "Rotate first: a new current key; the old one is kept to finish in-flight work.")
    var rotate = false

    func run() async throws {
        let keyring = try keyringOptions.open()
        if rotate {
            do { try await keyring.rotate() } catch { throw CommandError("cannot rotate: \(error)") }
        }
        try printJSON([
            "signer": await keyring.signer.checksummed,
            "publicKey": Hex.encode(await keyring.publicKey.compressed),
            "retiring": await keyring.retiringSigners.map(\.checksummed).joined(separator: ",")
        ])
    }
}
