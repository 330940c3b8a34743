import CloisterNode
import ArgumentParser
import Ethereum
import Secp256k1

/// `cloister key new --keystore FILE --password-file F`: a fresh key from the system CSPRNG.
struct KeyNewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Generate a key, write it to a new keystore file and print its address."
    )

    @OptionGroup var files: KeystoreOptions
    @OptionGroup var kdf: KDFOptions

    func run() throws {
        let key = PrivateKey()
        try OperatorKeyFiles.write(key, keystore: files.keystore, passwordFile: files.passwordFile, lightKDF: kdf.lightKDF)
        print(Address(publicKey: key.publicKey))
    }
}
