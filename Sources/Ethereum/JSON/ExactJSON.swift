/// A JSON document as parsed by ``init(parsing:)``: numbers keep their literal text, so integers of
/// any size (uint256 amounts in typed data) survive exactly.
public enum ExactJSON: Hashable, Sendable {
    case null
    case bool(Bool)
    /// The number exactly as written, e.g. `"115792089237316195423570985008687907853269984665640564039457584007913129639935"`.
    case number(String)
    case string(String)
    case array([ExactJSON])
    case object([String: ExactJSON])

    /// The member `key` of an object, or `nil`.
    public subscript(key: String) -> ExactJSON? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }
}

extension ExactJSON {
    /// A short name of the value's kind, for error messages (never the value itself).
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// An integer literal that fits in 64 bits (no fraction, no exponent), or nil.
    public var int64: Int64? {
        guard case .number(let literal) = self else { return nil }
        return Int64(literal)
    }

    /// A number of 64 bits integer, e.g. a JSON-RPC id.
    public static func integer(_ value: Int64) -> ExactJSON { .number(String(value)) }

    /// Compact JSON text; object members in sorted key order so equal values serialise identically.
    public var serialized: [UInt8] {
        var output: [UInt8] = []
        append(to: &output)
        return output
    }

    private func append(to output: inout [UInt8]) {
        switch self {
        case .null: output += Array("null".utf8)
        case .bool(let value): output += Array((value ? "true" : "false").utf8)
        case .number(let literal): output += Array(literal.utf8)
        case .string(let value): Self.appendString(value, to: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                element.append(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                Self.appendString(key, to: &output)
                output.append(UInt8(ascii: ":"))
                members[key, default: .null].append(to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    private static func appendString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output += Array("\\\"".utf8)
            case UInt8(ascii: "\\"): output += Array("\\\\".utf8)
            case 0x0A: output += Array("\\n".utf8)
            case 0x0D: output += Array("\\r".utf8)
            case 0x09: output += Array("\\t".utf8)
            case 0x00..<0x20:
                let hex = String(byte, radix: 16)
                output += Array(("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
