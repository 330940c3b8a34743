import Foundation
import Testing
import Ethereum
import Secp256k1

/// Keystore files written by eth-keyfile and pycryptodome, plus the two published Web3 Secret Storage
/// test vectors (scripts/ethvectors/keystores.py).
@Suite struct KeystoreFixtureTests {
    struct Index: Decodable {
        struct Entry: Decodable { let file: String; let password: String; let privateKey: String; let address: String }
        let files: [Entry]
    }

    static let index = Result { try Fixtures.load(Index.self, "ethereum/keystores/index.json") }

    static func keystore(_ file: String) throws -> Keystore {
        try Keystore(json: Data(contentsOf: Fixtures.root.appendingPathComponent("ethereum/keystores/\(file)")))
    }

    @Test func decryptsEveryFixture() throws {
        let entries = try Self.index.get().files
        #expect(entries.count >= 20)
        #expect(entries.contains { $0.file == "published-scrypt.json" } && entries.contains { $0.file == "published-pbkdf2.json" })
        for entry in entries {
            let key = try Self.keystore(entry.file).decrypt(password: Array(entry.password.utf8))
            #expect(Hex.encode(key.withUnsafeBytes { Array($0) }) == entry.privateKey, "\(entry.file)")
            #expect(Address(publicKey: key.publicKey) == (try Address(hex: entry.address)), "\(entry.file)")
        }
    }

    @Test func wrongPasswordIsATypedError() throws {
        for entry in try Self.index.get().files where entry.file.hasPrefix("eth-keyfile-scrypt") {
            #expect(throws: KeystoreError.wrongPassword, "\(entry.file)") {
                try Self.keystore(entry.file).decrypt(password: Array((entry.password + "!").utf8))
            }
        }
    }

    /// Parsing and writing again keeps every field, so a file we re-export still decrypts.
    @Test func reExportKeepsEveryField() throws {
        for entry in try Self.index.get().files {
            let keystore = try Self.keystore(entry.file)
            #expect(try Keystore(json: keystore.jsonData()) == keystore, "\(entry.file)")
        }
    }
}
