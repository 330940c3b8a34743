import Foundation

extension Keystore {
    /// Parses a version 3 keystore file. Object keys match case-insensitively, hex may carry `0x`, and
    /// `address` and `id` are optional, as geth and eth-keyfile read them. No key derivation happens here.
    public init(json: some Collection<UInt8>) throws(KeystoreError) {
        let root: ExactJSON
        do { root = try ExactJSON(parsing: json) } catch { throw .malformedJSON }
        guard case .object = root else { throw .malformedJSON }
        guard try root.integer("version") == 3 else { throw .unsupportedVersion }
        let crypto = try root.member("crypto")
        guard try crypto.string("cipher") == "aes-128-ctr" else { throw .unsupportedCipher }
        let iv = try crypto.member("cipherparams").hex("iv")
        guard let mac = Bytes32(try crypto.hex("mac")) else { throw .invalidField("mac") }
        try self.init(
            id: try Self.id(root), address: try Self.address(root), kdf: try Self.kdf(crypto),
            iv: iv, ciphertext: try crypto.hex("ciphertext"), mac: mac)
    }

    private static func id(_ root: ExactJSON) throws(KeystoreError) -> String? {
        guard try root.optionalMember("id") != nil else { return nil }
        return try root.string("id")
    }

    private static func address(_ root: ExactJSON) throws(KeystoreError) -> Address? {
        guard let value = try root.optionalMember("address"), value != .null else { return nil }
        guard let address = Address(try root.hex("address")) else { throw .invalidField("address") }
        return address
    }

    private static func kdf(_ crypto: ExactJSON) throws(KeystoreError) -> KeystoreKDF {
        let name = try crypto.string("kdf")
        let parameters = try crypto.member("kdfparams")
        guard try parameters.integer("dklen") == KeystoreKDF.derivedKeyLength else { throw .invalidKDFParameter("dklen") }
        let salt = try parameters.hex("salt")
        switch name {
        case "scrypt":
            return .scrypt(
                n: try parameters.integer("n"), r: try parameters.integer("r"),
                p: try parameters.integer("p"), salt: salt)
        case "pbkdf2":
            guard try parameters.string("prf") == "hmac-sha256" else { throw .unsupportedPRF }
            return .pbkdf2(iterations: try parameters.integer("c"), salt: salt)
        default:
            throw .unsupportedKDF
        }
    }

    /// The file as geth writes it: compact JSON, sorted keys, hex without `0x`, `address` in lower case.
    public func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Cannot fail: every value is a string or an integer.
        return (try? encoder.encode(KeystoreFile(self))) ?? Data()
    }
}

/// The JSON shape of a version 3 file, for writing.
private struct KeystoreFile: Encodable {
    struct Crypto: Encodable {
        let cipher = "aes-128-ctr"
        let cipherparams: [String: String]
        let ciphertext: String
        let kdf: String
        let kdfparams: [String: KDFValue]
        let mac: String
    }

    enum KDFValue: Encodable {
        case integer(Int)
        case text(String)

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .integer(let value): try container.encode(value)
            case .text(let value): try container.encode(value)
            }
        }
    }

    let address: String?
    let crypto: Crypto
    let id: String?
    let version = 3

    init(_ keystore: Keystore) {
        address = keystore.address.map { Hex.encode($0.bytes, prefix: false) }
        id = keystore.id
        let name: String
        let parameters: [String: KDFValue]
        switch keystore.kdf {
        case .scrypt(let n, let r, let p, let salt):
            name = "scrypt"
            parameters = ["n": .integer(n), "r": .integer(r), "p": .integer(p), "salt": .text(Hex.encode(salt, prefix: false))]
        case .pbkdf2(let iterations, let salt):
            name = "pbkdf2"
            parameters = ["c": .integer(iterations), "prf": .text("hmac-sha256"), "salt": .text(Hex.encode(salt, prefix: false))]
        }
        crypto = Crypto(
            cipherparams: ["iv": Hex.encode(keystore.iv, prefix: false)],
            ciphertext: Hex.encode(keystore.ciphertext, prefix: false), kdf: name,
            kdfparams: parameters.merging(["dklen": .integer(KeystoreKDF.derivedKeyLength)]) { old, _ in old },
            mac: Hex.encode(keystore.mac.bytes, prefix: false))
    }
}

/// Lookups the way geth and eth-keyfile read keystores: object keys match case-insensitively (old geth
/// files say `"Crypto"`), integers are plain decimal literals, hex may carry `0x`.
extension ExactJSON {
    /// The member called `name`, matched exactly first and then ignoring case.
    fileprivate func member(_ name: String) throws(KeystoreError) -> ExactJSON {
        guard case .object(let members) = self else { throw .invalidField(name) }
        if let value = members[name] { return value }
        guard let match = members.first(where: { $0.key.lowercased() == name }) else { throw .missingField(name) }
        return match.value
    }

    fileprivate func optionalMember(_ name: String) throws(KeystoreError) -> ExactJSON? {
        do { return try member(name) } catch .missingField { return nil }
    }

    fileprivate func string(_ name: String) throws(KeystoreError) -> String {
        guard case .string(let value) = try member(name) else { throw .invalidField(name) }
        return value
    }

    fileprivate func integer(_ name: String) throws(KeystoreError) -> Int {
        guard case .number(let literal) = try member(name), let value = Int(literal) else { throw .invalidField(name) }
        return value
    }

    /// Hex data with or without `0x`.
    fileprivate func hex(_ name: String) throws(KeystoreError) -> [UInt8] {
        do { return try Hex.decode(string(name)) } catch { throw .invalidField(name) }
    }
}
