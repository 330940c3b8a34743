import CloisterNode
import ArgumentParser
import Ethereum

/// `cloister key import --private-key-file K --keystore FILE --password-file F`.
struct KeyImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Encrypt a hex private key from a file into a new keystore file and print its address."
    )

    @Option(help: "A file holding the private key as 64 hex digits.")
    var privateKeyFile: String

    @OptionGroup var files: KeystoreOptions
    @OptionGroup var kdf: KDFOptions

    func run() throws {
        let key = try OperatorKeyFiles.privateKey(at: privateKeyFile)
        try OperatorKeyFiles.write(key, keystore: files.keystore, passwordFile: files.passwordFile, lightKDF: kdf.lightKDF)
        print(Address(publicKey: key.publicKey))
    }
}
