import CloisterNode
import ArgumentParser
import Ethereum

/// `cloister key address --keystore FILE --password-file F`: decrypts, so it also checks the password.
struct KeyAddressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "address",
        abstract: "Decrypt a keystore file and print the address of its key."
    )

    @OptionGroup var files: KeystoreOptions

    func run() throws {
        let key = try OperatorKeyFiles.decrypt(keystore: files.keystore, passwordFile: files.passwordFile)
        print(Address(publicKey: key.publicKey))
    }
}
