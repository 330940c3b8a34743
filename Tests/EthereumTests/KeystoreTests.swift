import Foundation
import Testing
import Ethereum
import Secp256k1

@Suite struct KeystoreTests {
    static let password = Array("hunter2".utf8)

    static func fastScrypt() -> KeystoreKDF {
        .scrypt(n: 1024, r: 8, p: 1, salt: Array(0..<32))
    }

    @Test(arguments: [fastScrypt(), KeystoreKDF.pbkdf2(iterations: 1000, salt: Array(0..<16))])
    func encryptThenDecrypt(kdf: KeystoreKDF) throws {
        let key = PrivateKey()
        let keystore = try Keystore.encrypt(key, password: Self.password, kdf: kdf)
        #expect(keystore.address == Address(publicKey: key.publicKey))
        let reread = try Keystore(json: keystore.jsonData())
        #expect(reread == keystore)
        let decrypted = try reread.decrypt(password: Self.password)
        #expect(decrypted.withUnsafeBytes { Array($0) } == key.withUnsafeBytes { Array($0) })
        #expect(throws: KeystoreError.wrongPassword) { try reread.decrypt(password: Array("hunter3".utf8)) }
    }

    @Test func freshIVAndIdEachTime() throws {
        let key = PrivateKey()
        let first = try Keystore.encrypt(key, password: Self.password, kdf: Self.fastScrypt())
        let second = try Keystore.encrypt(key, password: Self.password, kdf: Self.fastScrypt())
        #expect(first.iv != second.iv)
        #expect(first.ciphertext != second.ciphertext)
        #expect(first.id != second.id)
        #expect(first.id?.count == 36)
    }

    @Test func writesTheGethLayout() throws {
        let keystore = try Keystore.encrypt(PrivateKey(), password: Self.password, kdf: Self.fastScrypt())
        let object = try #require(try JSONSerialization.jsonObject(with: keystore.jsonData()) as? [String: Any])
        #expect(Set(object.keys) == ["address", "crypto", "id", "version"])
        #expect(object["version"] as? Int == 3)
        let crypto = try #require(object["crypto"] as? [String: Any])
        #expect(Set(crypto.keys) == ["cipher", "cipherparams", "ciphertext", "kdf", "kdfparams", "mac"])
        let parameters = try #require(crypto["kdfparams"] as? [String: Any])
        #expect(Set(parameters.keys) == ["dklen", "n", "p", "r", "salt"])
        #expect((object["address"] as? String)?.hasPrefix("0x") == false)
    }

    /// A file demanding 2⁴⁰ × 128 bytes of scrypt memory is refused before any allocation.
    @Test func refusesAbsurdKDFCost() throws {
        let greedy = try Keystore(
            id: nil, address: nil, kdf: .scrypt(n: 1 << 40, r: 8, p: 1, salt: []),
            iv: [UInt8](repeating: 0, count: 16), ciphertext: [UInt8](repeating: 0, count: 32), mac: .zero)
        #expect(throws: KeystoreError.kdfCostExceedsLimits) { try greedy.decrypt(password: Self.password) }
        let slow = try Keystore(
            id: nil, address: nil, kdf: .pbkdf2(iterations: Int(Int32.max), salt: []),
            iv: [UInt8](repeating: 0, count: 16), ciphertext: [UInt8](repeating: 0, count: 32), mac: .zero)
        #expect(throws: KeystoreError.kdfCostExceedsLimits) { try slow.decrypt(password: Self.password) }
        let hugeP = try Keystore(
            id: nil, address: nil, kdf: .scrypt(n: 2, r: 1, p: .max, salt: []),
            iv: [UInt8](repeating: 0, count: 16), ciphertext: [UInt8](repeating: 0, count: 32), mac: .zero)
        #expect(throws: KeystoreError.kdfCostExceedsLimits) { try hugeP.decrypt(password: Self.password) }
        let tight = KeystoreLimits(maximumScryptMemory: 1 << 20, maximumScryptWork: 1 << 20, maximumPBKDF2Iterations: 10)
        #expect(throws: KeystoreError.kdfCostExceedsLimits) { try Keystore.encrypt(PrivateKey(), password: [], kdf: Self.fastScrypt(), limits: tight) }
    }

    @Test func addressMustMatchTheKey() throws {
        let keystore = try Keystore.encrypt(PrivateKey(), password: Self.password, kdf: Self.fastScrypt())
        let wrongAddress = try Keystore(
            id: keystore.id, address: .zero, kdf: keystore.kdf, iv: keystore.iv,
            ciphertext: keystore.ciphertext, mac: keystore.mac)
        #expect(throws: KeystoreError.addressMismatch) { try wrongAddress.decrypt(password: Self.password) }
    }

    static var template: [String: Any] {
        [
            "version": 3, "id": "x",
            "crypto": [
                "cipher": "aes-128-ctr", "cipherparams": ["iv": String(repeating: "00", count: 16)],
                "ciphertext": String(repeating: "11", count: 32), "mac": String(repeating: "22", count: 32),
                "kdf": "scrypt", "kdfparams": ["n": 16, "r": 8, "p": 1, "dklen": 32, "salt": "abcd"]
            ] as [String: Any]
        ]
    }

    static func parse(editing edit: (inout [String: Any], inout [String: Any], inout [String: Any]) -> Void) throws(KeystoreError) -> Keystore {
        var root = template
        var crypto = root["crypto"] as? [String: Any] ?? [:]
        var parameters = crypto["kdfparams"] as? [String: Any] ?? [:]
        edit(&root, &crypto, &parameters)
        crypto["kdfparams"] = parameters
        root["crypto"] = crypto
        let data = (try? JSONSerialization.data(withJSONObject: root)) ?? Data()
        return try Keystore(json: data)
    }

    @Test func templateParses() throws {
        let keystore = try Self.parse { _, _, _ in }
        #expect(keystore.kdf == .scrypt(n: 16, r: 8, p: 1, salt: [0xAB, 0xCD]))
    }

    @Test func malformedFilesGiveTypedErrors() {
        #expect(throws: KeystoreError.malformedJSON) { try Keystore(json: Array("not json".utf8)) }
        #expect(throws: KeystoreError.malformedJSON) { try Keystore(json: Array("[1,2]".utf8)) }
        #expect(throws: KeystoreError.unsupportedVersion) { try Self.parse { root, _, _ in root["version"] = 4 } }
        #expect(throws: KeystoreError.invalidField("version")) { try Self.parse { root, _, _ in root["version"] = "3" } }
        #expect(throws: KeystoreError.missingField("crypto")) { try Keystore(json: Array(#"{"version": 3, "id": "x"}"#.utf8)) }
        #expect(throws: KeystoreError.unsupportedCipher) { try Self.parse { _, crypto, _ in crypto["cipher"] = "aes-256-ctr" } }
        #expect(throws: KeystoreError.unsupportedKDF) { try Self.parse { _, crypto, _ in crypto["kdf"] = "argon2" } }
        #expect(throws: KeystoreError.unsupportedPRF) {
            try Self.parse { _, crypto, parameters in
                crypto["kdf"] = "pbkdf2"; parameters["c"] = 10; parameters["prf"] = "hmac-sha512"
            }
        }
        #expect(throws: KeystoreError.invalidKDFParameter("dklen")) { try Self.parse { _, _, parameters in parameters["dklen"] = 16 } }
        #expect(throws: KeystoreError.invalidKDFParameter("n")) { try Self.parse { _, _, parameters in parameters["n"] = 1000 } }
        #expect(throws: KeystoreError.invalidKDFParameter("n")) { try Self.parse { _, _, parameters in parameters["n"] = -16 } }
        #expect(throws: KeystoreError.invalidField("n")) { try Self.parse { _, _, parameters in parameters["n"] = 1e300 } }
        #expect(throws: KeystoreError.invalidKDFParameter("r")) { try Self.parse { _, _, parameters in parameters["r"] = 0 } }
        #expect(throws: KeystoreError.invalidField("iv")) { try Self.parse { _, crypto, _ in crypto["cipherparams"] = ["iv": "00"] } }
        #expect(throws: KeystoreError.invalidField("iv")) { try Self.parse { _, crypto, _ in crypto["cipherparams"] = ["iv": "zz"] } }
        #expect(throws: KeystoreError.invalidField("mac")) { try Self.parse { _, crypto, _ in crypto["mac"] = "2222" } }
        #expect(throws: KeystoreError.invalidField("ciphertext")) { try Self.parse { _, crypto, _ in crypto["ciphertext"] = "11" } }
        #expect(throws: KeystoreError.invalidField("address")) { try Self.parse { root, _, _ in root["address"] = "1234" } }
    }

    @Test func keysMatchCaseInsensitivelyAndHexMayHavePrefix() throws {
        let keystore = try Self.parse { root, crypto, parameters in
            parameters["salt"] = "0xabcd"
            root["address"] = "0x" + String(repeating: "ab", count: 20)
            root["Crypto"] = crypto
            root["crypto"] = nil
        }
        #expect(keystore.address == Address([UInt8](repeating: 0xAB, count: 20)))
        #expect(keystore.kdf == .scrypt(n: 16, r: 8, p: 1, salt: [0xAB, 0xCD]))
    }
}
