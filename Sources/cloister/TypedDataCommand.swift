import ArgumentParser
import Ethereum
import Foundation
import Secp256k1

/// `cloister typed-data hash|sign <file.json>`: EIP-712 hashing and signing of `eth_signTypedData_v4` documents.
struct TypedDataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "typed-data",
        abstract: "Hash or sign an EIP-712 typed-data document (eth_signTypedData_v4 JSON).",
        subcommands: [Hash.self, Sign.self]
    )

    struct Hash: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the domain separator, struct hash and digest.")

        @Argument(help: "The typed-data JSON file.")
        var file: String

        func run() throws {
            let typedData = try TypedDataCommand.load(file)
            print("domain separator: \(typedData.domainSeparator)")
            print("struct hash:      \(typedData.structHash)")
            print("digest:           \(typedData.signingHash)")
        }
    }

    struct Sign: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sign the digest; print the 65-byte signature and the signer.")

        @Argument(help: "The typed-data JSON file.")
        var file: String

        @Option(help: "A version 3 keystore file holding the signing key.")
        var keystore: String?

        @Option(help: "A file whose first line is the keystore's password.")
        var passwordFile: String?

        @Option(help: "A file holding the private key as hex (instead of --keystore).")
        var privateKeyFile: String?

        func validate() throws {
            switch (keystore, passwordFile, privateKeyFile) {
            case (.some, .some, nil), (nil, nil, .some): return
            default: throw ValidationError("pass --keystore with --password-file, or --private-key-file")
            }
        }

        func run() throws {
            let typedData = try TypedDataCommand.load(file)
            let key = try loadKey()
            let signature = try key.signMessageDigest(typedData.signingHash)
            print("signature: \(signature)")
            print("signer:    \(try signature.signer(of: typedData.signingHash))")
        }

        private func loadKey() throws -> PrivateKey {
            if let privateKeyFile {
                let trimmed = try TypedDataCommand.read(privateKeyFile).trimmingCharacters(in: .whitespacesAndNewlines)
                guard let bytes = try? Hex.decode(trimmed), let key = try? PrivateKey(bytes: bytes) else {
                    throw CommandError("\(privateKeyFile) does not hold a 32-byte hex private key")
                }
                return key
            }
            guard let keystore, let passwordFile else { throw ValidationError("no key given") }
            let firstLine = try TypedDataCommand.read(passwordFile).split(separator: "\n", omittingEmptySubsequences: false).first ?? ""
            let password = firstLine.hasSuffix("\r") ? firstLine.dropLast() : firstLine
            do {
                let file = try Keystore(json: Array(TypedDataCommand.read(keystore).utf8))
                return try file.decrypt(password: Array(password.utf8))
            } catch {
                throw CommandError("\(keystore): \(error)")
            }
        }
    }

    static func load(_ path: String) throws -> TypedData {
        let text = try read(path)
        do {
            return try TypedData(json: Array(text.utf8))
        } catch {
            throw CommandError("\(path): \(error)")
        }
    }

    static func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw CommandError("cannot read \(path)") }
        return String(decoding: data, as: UTF8.self)
    }
}
