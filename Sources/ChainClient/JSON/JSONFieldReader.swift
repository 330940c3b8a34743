import Ethereum

/// Reads typed fields from a JSON value strictly: quantities must be canonical `0x` quantities, data
/// must be `0x`-prefixed even-length hex, hashes exactly 32 bytes, addresses exactly 20 bytes.
struct JSONFieldReader {
    let value: ExactJSON
    /// Where `value` sits in the response, for error messages.
    let path: String

    init(_ value: ExactJSON, path: String) {
        self.value = value
        self.path = path
    }

    /// The reader of an object member; a missing member is an error.
    func member(_ key: String) throws(InvalidResponse) -> JSONFieldReader {
        guard case .object(let members) = value else {
            throw .wrongType(field: path, expected: "object", actual: value.kindName)
        }
        guard let child = members[key] else { throw .missingField(childPath(key)) }
        return JSONFieldReader(child, path: childPath(key))
    }

    /// The reader of an object member, or `nil` when the member is absent or `null`.
    func optionalMember(_ key: String) throws(InvalidResponse) -> JSONFieldReader? {
        guard case .object(let members) = value else {
            throw .wrongType(field: path, expected: "object", actual: value.kindName)
        }
        guard let child = members[key], child != .null else { return nil }
        return JSONFieldReader(child, path: childPath(key))
    }

    var isNull: Bool { value == .null }

    func elements() throws(InvalidResponse) -> [JSONFieldReader] {
        guard case .array(let items) = value else {
            throw .wrongType(field: path, expected: "array", actual: value.kindName)
        }
        return items.enumerated().map { JSONFieldReader($0.element, path: "\(path)[\($0.offset)]") }
    }

    func string() throws(InvalidResponse) -> String {
        guard case .string(let text) = value else {
            throw .wrongType(field: path, expected: "string", actual: value.kindName)
        }
        return text
    }

    func bool() throws(InvalidResponse) -> Bool {
        guard case .bool(let flag) = value else {
            throw .wrongType(field: path, expected: "boolean", actual: value.kindName)
        }
        return flag
    }

    func number() throws(InvalidResponse) -> Double {
        guard case .number(let literal) = value else {
            throw .wrongType(field: path, expected: "number", actual: value.kindName)
        }
        guard let number = Double(literal) else { throw .outOfRange(field: path) }
        return number
    }

    func quantity() throws(InvalidResponse) -> UInt256 {
        let text = try string()
        do { return try Hex.parseQuantity(text) } catch { throw .invalidHex(field: path, error) }
    }

    func uint64() throws(InvalidResponse) -> UInt64 {
        guard let small = try quantity().uint64 else { throw .outOfRange(field: path) }
        return small
    }

    func data() throws(InvalidResponse) -> [UInt8] {
        let text = try string()
        do { return try Hex.decode(text, requirePrefix: true) } catch { throw .invalidHex(field: path, error) }
    }

    func bytes32() throws(InvalidResponse) -> Bytes32 {
        let bytes = try data()
        guard let word = Bytes32(bytes) else { throw .wrongLength(field: path, expected: 32, actual: bytes.count) }
        return word
    }

    func address() throws(InvalidResponse) -> Address {
        let bytes = try data()
        guard let address = Address(bytes) else { throw .wrongLength(field: path, expected: 20, actual: bytes.count) }
        return address
    }

    private func childPath(_ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }
}

extension ExactJSON {
    /// Parses a JSON-RPC body (strictly: bounded nesting, no duplicate keys, nothing after the document);
    /// any malformed input becomes ``InvalidResponse/malformedJSON``.
    public static func parse(_ bytes: [UInt8]) throws(InvalidResponse) -> ExactJSON {
        do { return try ExactJSON(parsing: bytes) } catch { throw .malformedJSON }
    }
}
