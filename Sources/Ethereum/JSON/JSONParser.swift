/// A strict RFC 8259 parser for untrusted documents: bounded nesting, duplicate keys rejected, no
/// trailing content, and every read bounds-checked.
struct JSONParser {
    /// Deepest nesting of arrays and objects accepted.
    static let maximumDepth = 64

    private let input: [UInt8]
    private var position = 0

    init(_ input: [UInt8]) {
        self.input = input
    }

    mutating func parseDocument() throws(JSONParseError) -> ExactJSON {
        let value = try parseValue(depth: 0)
        skipWhitespace()
        guard position == input.count else { throw fail(.trailingCharacters) }
        return value
    }

    private mutating func parseValue(depth: Int) throws(JSONParseError) -> ExactJSON {
        skipWhitespace()
        guard let character = peek else { throw fail(.unexpectedEnd) }
        switch character {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), 0x30...0x39: return .number(try parseNumber())
        default: throw fail(.unexpectedCharacter)
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) -> ExactJSON {
        guard depth <= Self.maximumDepth else { throw fail(.nestingTooDeep) }
        position += 1
        var members: [String: ExactJSON] = [:]
        skipWhitespace()
        if peek == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard peek == UInt8(ascii: "\"") else { throw fail(peek == nil ? .unexpectedEnd : .unexpectedCharacter) }
            let keyPosition = position
            let key = try parseString()
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            let value = try parseValue(depth: depth)
            guard members.updateValue(value, forKey: key) == nil else {
                throw JSONParseError(reason: .duplicateKey, position: keyPosition)
            }
            skipWhitespace()
            if peek == UInt8(ascii: "}") {
                position += 1
                return .object(members)
            }
            try expect(UInt8(ascii: ","))
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) -> ExactJSON {
        guard depth <= Self.maximumDepth else { throw fail(.nestingTooDeep) }
        position += 1
        var elements: [ExactJSON] = []
        skipWhitespace()
        if peek == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            if peek == UInt8(ascii: "]") {
                position += 1
                return .array(elements)
            }
            try expect(UInt8(ascii: ","))
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    private mutating func parseNumber() throws(JSONParseError) -> String {
        let start = position
        if peek == UInt8(ascii: "-") { position += 1 }
        if peek == UInt8(ascii: "0") {
            position += 1
        } else {
            guard try skipDigits() > 0 else { throw fail(.invalidNumber) }
        }
        if peek == UInt8(ascii: ".") {
            position += 1
            guard try skipDigits() > 0 else { throw fail(.invalidNumber) }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            position += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { position += 1 }
            guard try skipDigits() > 0 else { throw fail(.invalidNumber) }
        }
        return String(decoding: input[start..<position], as: UTF8.self)
    }

    private mutating func skipDigits() throws(JSONParseError) -> Int {
        let start = position
        while let character = peek, (0x30...0x39).contains(character) { position += 1 }
        return position - start
    }

    private mutating func parseString() throws(JSONParseError) -> String {
        position += 1
        var bytes: [UInt8] = []
        while true {
            guard let character = peek else { throw fail(.unexpectedEnd) }
            position += 1
            switch character {
            case UInt8(ascii: "\""):
                guard let text = String(validating: bytes, as: UTF8.self) else { throw fail(.invalidUTF8) }
                return text
            case UInt8(ascii: "\\"):
                try appendEscape(to: &bytes)
            case 0x00..<0x20:
                throw fail(.unexpectedCharacter)
            default:
                bytes.append(character)
            }
        }
    }

    private mutating func appendEscape(to bytes: inout [UInt8]) throws(JSONParseError) {
        guard let character = peek else { throw fail(.unexpectedEnd) }
        position += 1
        switch character {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(character)
        case UInt8(ascii: "b"): bytes.append(0x08)
        case UInt8(ascii: "f"): bytes.append(0x0C)
        case UInt8(ascii: "n"): bytes.append(0x0A)
        case UInt8(ascii: "r"): bytes.append(0x0D)
        case UInt8(ascii: "t"): bytes.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHexQuad()
            if (0xD800..<0xDC00).contains(scalar) {
                // A high surrogate must be followed by an escaped low surrogate.
                try expect(UInt8(ascii: "\\"))
                try expect(UInt8(ascii: "u"))
                let low = try parseHexQuad()
                guard (0xDC00..<0xE000).contains(low) else { throw fail(.invalidEscape) }
                scalar = 0x10000 + (scalar - 0xD800) << 10 + (low - 0xDC00)
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw fail(.invalidEscape) }
            bytes.append(contentsOf: String(Character(unicode)).utf8)
        default:
            throw fail(.invalidEscape)
        }
    }

    private mutating func parseHexQuad() throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let character = peek else { throw fail(.unexpectedEnd) }
            guard let digit = try? Hex.value(of: character, at: position) else { throw fail(.invalidEscape) }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        for byte in UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount) {
            try expect(byte)
        }
    }

    private mutating func expect(_ character: UInt8) throws(JSONParseError) {
        guard let next = peek else { throw fail(.unexpectedEnd) }
        guard next == character else { throw fail(.unexpectedCharacter) }
        position += 1
    }

    private mutating func skipWhitespace() {
        while let character = peek, character == 0x20 || character == 0x0A || character == 0x0D || character == 0x09 {
            position += 1
        }
    }

    private var peek: UInt8? { position < input.count ? input[position] : nil }

    private func fail(_ reason: JSONParseError.Reason) -> JSONParseError {
        JSONParseError(reason: reason, position: position)
    }
}

extension ExactJSON {
    /// Parses one JSON document (UTF-8).
    public init(parsing bytes: some Collection<UInt8>) throws(JSONParseError) {
        var parser = JSONParser(Array(bytes))
        self = try parser.parseDocument()
    }
}
