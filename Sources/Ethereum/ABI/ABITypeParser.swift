/// Reads ABI type strings and parameter lists such as `(address indexed from, uint256 value)`.
///
/// Names and the `indexed` keyword are accepted after each parameter and returned as words, so the same
/// reader serves canonical types, function signatures and event declarations.
struct ABITypeParser {
    /// Deepest nesting of tuples and array suffixes accepted; keeps recursion bounded on hostile text.
    static let maximumDepth = 32
    /// Largest `n` accepted in `T[n]`.
    static let maximumFixedArrayCount = 1 << 24

    /// A parsed parameter: its type and the words after it (`indexed`, a name).
    struct Parameter: Equatable {
        let type: ABIType
        let words: [String]
    }

    private let text: String
    private let characters: [UInt8]
    private var position = 0

    init(_ text: some StringProtocol) {
        self.text = String(text)
        characters = Array(text.utf8)
    }

    /// Parses one complete type; nothing may follow it.
    static func type(_ text: some StringProtocol) throws(ABIError) -> ABIType {
        var parser = ABITypeParser(text)
        let type = try parser.parseType(depth: 0)
        try parser.expectEnd()
        return type
    }

    /// Parses `(p1, p2, …)` with optional words after each parameter; nothing may follow it.
    static func parameterList(_ text: some StringProtocol) throws(ABIError) -> [Parameter] {
        var parser = ABITypeParser(text)
        let parameters = try parser.parseParameters(depth: 0)
        try parser.expectEnd()
        return parameters
    }

    private mutating func parseType(depth: Int) throws(ABIError) -> ABIType {
        guard depth < Self.maximumDepth else { throw .typeNestingTooDeep }
        var type: ABIType
        if peek == UInt8(ascii: "(") {
            let components = try parseParameters(depth: depth + 1)
            guard !components.isEmpty else { throw fail() }
            type = .tuple(components.map(\.type))
        } else {
            type = try elementary(word())
        }
        var suffixes = 0
        while peek == UInt8(ascii: "[") {
            suffixes += 1
            guard depth + suffixes < Self.maximumDepth else { throw .typeNestingTooDeep }
            position += 1
            let digits = word(allowed: { (0x30...0x39).contains($0) })
            guard peek == UInt8(ascii: "]") else { throw fail() }
            position += 1
            if digits.isEmpty {
                type = .array(type)
            } else {
                guard digits.first != "0", digits.count <= 8, let count = Int(digits),
                    count <= Self.maximumFixedArrayCount
                else { throw fail() }
                type = .fixedArray(type, count)
            }
        }
        return type
    }

    private mutating func parseParameters(depth: Int) throws(ABIError) -> [Parameter] {
        guard peek == UInt8(ascii: "(") else { throw fail() }
        position += 1
        skipSpaces()
        var parameters: [Parameter] = []
        if peek == UInt8(ascii: ")") {
            position += 1
            return parameters
        }
        while true {
            skipSpaces()
            let type = try parseType(depth: depth)
            var words: [String] = []
            skipSpaces()
            while let next = peek, next != UInt8(ascii: ","), next != UInt8(ascii: ")") {
                let name = word()
                guard !name.isEmpty else { throw fail() }
                words.append(name)
                skipSpaces()
            }
            parameters.append(Parameter(type: type, words: words))
            guard let separator = peek else { throw fail() }
            position += 1
            if separator == UInt8(ascii: ")") { return parameters }
        }
    }

    private func elementary(_ name: String) throws(ABIError) -> ABIType {
        switch name {
        case "address": return .address
        case "bool": return .bool
        case "bytes": return .bytes
        case "string": return .string
        case "uint": return .uint(bits: 256)
        case "int": return .int(bits: 256)
        default: break
        }
        for (prefix, make) in [("uint", ABIType.uint(bits:)), ("int", ABIType.int(bits:))] where name.hasPrefix(prefix) {
            guard let bits = Self.number(name.dropFirst(prefix.count)), bits % 8 == 0, (8...256).contains(bits) else { break }
            return make(bits)
        }
        if name.hasPrefix("bytes"), let count = Self.number(name.dropFirst(5)), (1...32).contains(count) {
            return .fixedBytes(count)
        }
        throw fail(at: position - name.utf8.count)
    }

    /// A decimal number without sign or leading zeros.
    private static func number(_ digits: Substring) -> Int? {
        guard digits.count <= 3, digits.first != "0", digits.allSatisfy(\.isASCII) else { return nil }
        return Int(digits)
    }

    private var peek: UInt8? { position < characters.count ? characters[position] : nil }

    private mutating func word(allowed: (UInt8) -> Bool = Self.isIdentifierCharacter) -> String {
        let start = position
        while let character = peek, allowed(character) { position += 1 }
        return String(decoding: characters[start..<position], as: UTF8.self)
    }

    private static func isIdentifierCharacter(_ character: UInt8) -> Bool {
        switch character {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, UInt8(ascii: "_"), UInt8(ascii: "$"): true
        default: false
        }
    }

    private mutating func skipSpaces() {
        while peek == UInt8(ascii: " ") { position += 1 }
    }

    private func expectEnd() throws(ABIError) {
        guard position == characters.count else { throw fail() }
    }

    private func fail(at errorPosition: Int? = nil) -> ABIError {
        .invalidType(text, position: errorPosition ?? position)
    }
}

extension ABIType {
    /// Parses a type string such as `uint256`, `bytes32[]` or `(address,string)[3]`; `uint` and `int`
    /// are read as `uint256` and `int256`.
    public init(parsing text: some StringProtocol) throws(ABIError) {
        self = try ABITypeParser.type(text)
    }
}
