import ArgumentParser

/// `cloister key new|address|import`: the operator's signing key in a version 3 keystore file.
/// The private key is never printed.
struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Create, import and inspect operator keys in keystore (v3) files.",
        subcommands: [KeyNewCommand.self, KeyAddressCommand.self, KeyImportCommand.self]
    )
}

/// The options every command that reads or writes a keystore takes.
struct KeystoreOptions: ParsableArguments {
    @Option(help: "The version 3 keystore file.")
    var keystore: String

    @Option(help: "A file whose first line is the keystore password.")
    var passwordFile: String
}

/// How hard a newly written keystore is to brute-force.
struct KDFOptions: ParsableArguments {
    @Flag(help: "geth's --lightkdf (scrypt n = 4096, p = 6) instead of n = 2^18: fast, for test wallets only.")
    var lightKDF = false
}
