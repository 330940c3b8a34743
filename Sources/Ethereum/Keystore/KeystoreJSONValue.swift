/// A parsed JSON value, looked up the way geth and eth-keyfile read keystores: object keys match
/// case-insensitively (old geth files say `"Crypto"`).
enum KeystoreJSONValue: Decodable, Equatable {
    case object([String: KeystoreJSONValue])
    case array([KeystoreJSONValue])
    case string(String)
    case integer(Int)
    case otherNumber
    case bool(Bool)
    case null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if (try? container.decode(Double.self)) != nil {
            self = .otherNumber
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([KeystoreJSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: KeystoreJSONValue].self))
        }
    }

    /// The member called `name`, matched exactly first and then ignoring case.
    func member(_ name: String) throws(KeystoreError) -> KeystoreJSONValue {
        guard case .object(let members) = self else { throw .invalidField(name) }
        if let value = members[name] { return value }
        guard let match = members.first(where: { $0.key.lowercased() == name }) else { throw .missingField(name) }
        return match.value
    }

    func optionalMember(_ name: String) throws(KeystoreError) -> KeystoreJSONValue? {
        do { return try member(name) } catch .missingField { return nil }
    }

    func string(_ name: String) throws(KeystoreError) -> String {
        guard case .string(let value) = try member(name) else { throw .invalidField(name) }
        return value
    }

    func integer(_ name: String) throws(KeystoreError) -> Int {
        guard case .integer(let value) = try member(name) else { throw .invalidField(name) }
        return value
    }

    /// Hex data with or without `0x`.
    func hex(_ name: String) throws(KeystoreError) -> [UInt8] {
        do { return try Hex.decode(string(name)) } catch { throw .invalidField(name) }
    }
}
