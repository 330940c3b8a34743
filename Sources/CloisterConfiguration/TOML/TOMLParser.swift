import Foundation

/// A strict parser for the part of TOML 1.0 that configuration files need: `[tables]` and dotted
/// headers, bare/quoted/dotted keys, basic and literal strings, integers (decimal, `0x`, `_`
/// separators), floats, booleans, and arrays (multi-line, trailing comma). Anything else — inline
/// tables, arrays of tables, dates, multi-line strings — is refused with the line number, never guessed.
package struct TOMLParser {
    private var characters: [Character]
    private var position = 0
    private var line = 1

    /// Parses `text` into its root table.
    package static func parse(_ text: String) throws(TOMLError) -> [String: TOMLValue] {
        var parser = TOMLParser(characters: Array(text))
        return try parser.parseDocument()
    }

    private init(characters: [Character]) {
        self.characters = characters
    }

    private mutating func parseDocument() throws(TOMLError) -> [String: TOMLValue] {
        var root: [String: TOMLValue] = [:]
        var currentTable: [String] = []
        var definedTables: Set<[String]> = []
        while true {
            skipWhitespaceAndComments(acrossLines: true)
            guard let character = peek() else { return root }
            if character == "[" {
                advance()
                if peek() == "[" { throw error("arrays of tables ([[…]]) are not supported; use an array value instead") }
                skipSpaces()
                currentTable = try parseKeyPath(terminator: "]")
                guard definedTables.insert(currentTable).inserted else { throw error("table [\(currentTable.joined(separator: "."))] is defined twice") }
                try ensureTable(at: currentTable, in: &root)
            } else {
                let key = try parseKeyPath(terminator: "=")
                skipSpaces()
                let value = try parseValue()
                try insert(value, at: currentTable + key, in: &root)
            }
            try expectEndOfLine()
        }
    }

    // MARK: Keys

    private mutating func parseKeyPath(terminator: Character) throws(TOMLError) -> [String] {
        var path: [String] = []
        while true {
            skipSpaces()
            path.append(try parseKey())
            skipSpaces()
            guard let next = peek() else { throw error("expected \(terminator) after the key") }
            advance()
            if next == terminator { return path }
            guard next == "." else { throw error("unexpected '\(next)' in a key; expected '.' or '\(terminator)'") }
        }
    }

    private mutating func parseKey() throws(TOMLError) -> String {
        switch peek() {
        case "\"": return try parseBasicString()
        case "'": return try parseLiteralString()
        default:
            var key = ""
            while let character = peek(), character.isASCII, character.isLetter || character.isNumber || character == "_" || character == "-" {
                key.append(character)
                advance()
            }
            guard !key.isEmpty else { throw error("expected a key") }
            return key
        }
    }

    // MARK: Values

    private mutating func parseValue() throws(TOMLError) -> TOMLValue {
        guard let character = peek() else { throw error("expected a value") }
        switch character {
        case "\"":
            if lookahead("\"\"\"") { throw error("multi-line strings are not supported") }
            return .string(try parseBasicString())
        case "'":
            if lookahead("'''") { throw error("multi-line strings are not supported") }
            return .string(try parseLiteralString())
        case "[": return try parseArray()
        case "{": throw error("inline tables are not supported; use a [table] instead")
        case "t", "f": return try parseBool()
        default: return try parseNumber()
        }
    }

    private mutating func parseArray() throws(TOMLError) -> TOMLValue {
        advance()
        var elements: [TOMLValue] = []
        while true {
            skipWhitespaceAndComments(acrossLines: true)
            if peek() == "]" { advance(); return .array(elements) }
            elements.append(try parseValue())
            skipWhitespaceAndComments(acrossLines: true)
            switch peek() {
            case ",": advance()
            case "]": advance(); return .array(elements)
            default: throw error("expected ',' or ']' in an array")
            }
        }
    }

    private mutating func parseBool() throws(TOMLError) -> TOMLValue {
        if lookahead("true") { position += 4; return .bool(true) }
        if lookahead("false") { position += 5; return .bool(false) }
        throw error("expected a value (strings need quotes)")
    }

    private mutating func parseNumber() throws(TOMLError) -> TOMLValue {
        var text = ""
        while let character = peek(), character.isLetter || character.isNumber || "+-._".contains(character) {
            text.append(character)
            advance()
        }
        guard !text.isEmpty else { throw error("expected a value") }
        if text.contains("__") || text.hasPrefix("_") || text.hasSuffix("_") { throw error("misplaced '_' in number \(text)") }
        let digits = text.replacingOccurrences(of: "_", with: "")
        if digits.hasPrefix("0x"), let value = Int64(digits.dropFirst(2), radix: 16) { return .integer(value) }
        if let value = Int64(digits) {
            let unsigned = digits.trimmingPrefix(while: { $0 == "+" || $0 == "-" })
            if unsigned.count > 1 && unsigned.hasPrefix("0") { throw error("leading zeros are not allowed in \(text)") }
            return .integer(value)
        }
        if digits.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), let value = Double(digits), value.isFinite {
            return .float(value)
        }
        throw error("'\(text)' is not a number, boolean or quoted string")
    }

    private mutating func parseBasicString() throws(TOMLError) -> String {
        advance()
        var result = ""
        while let character = peek() {
            advance()
            switch character {
            case "\"": return result
            case "\n": throw error("unterminated string")
            case "\\": result.append(try parseEscape())
            default: result.append(character)
            }
        }
        throw error("unterminated string")
    }

    private mutating func parseEscape() throws(TOMLError) -> Character {
        guard let escaped = peek() else { throw error("unterminated string") }
        advance()
        switch escaped {
        case "\"": return "\""
        case "\\": return "\\"
        case "n": return "\n"
        case "t": return "\t"
        case "r": return "\r"
        case "b": return "\u{08}"
        case "f": return "\u{0C}"
        case "u", "U":
            let count = escaped == "u" ? 4 : 8
            guard position + count <= characters.count else { throw error("truncated \\\(escaped) escape") }
            let hex = String(characters[position..<(position + count)])
            position += count
            guard let scalarValue = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(scalarValue) else {
                throw error("invalid unicode escape \\\(escaped)\(hex)")
            }
            return Character(scalar)
        default: throw error("unknown escape \\\(escaped)")
        }
    }

    private mutating func parseLiteralString() throws(TOMLError) -> String {
        advance()
        var result = ""
        while let character = peek() {
            advance()
            if character == "'" { return result }
            if character == "\n" { break }
            result.append(character)
        }
        throw error("unterminated string")
    }

    // MARK: Tables

    private func ensureTable(at path: [String], in root: inout [String: TOMLValue]) throws(TOMLError) {
        try modify(path: path, in: &root) { (value: inout TOMLValue?) throws(TOMLError) in
            switch value {
            case nil: value = .table([:])
            case .table: break
            case .some(let other): throw error("[\(path.joined(separator: "."))] is already a \(other.typeName)")
            }
        }
    }

    private func insert(_ newValue: TOMLValue, at path: [String], in root: inout [String: TOMLValue]) throws(TOMLError) {
        try modify(path: path, in: &root) { (value: inout TOMLValue?) throws(TOMLError) in
            guard value == nil else { throw error("key \(path.joined(separator: ".")) is defined twice") }
            value = newValue
        }
    }

    /// Walks to `path`, creating intermediate tables, and lets `body` change the value found there.
    private func modify(
        path: [String], in table: inout [String: TOMLValue],
        _ body: (inout TOMLValue?) throws(TOMLError) -> Void
    ) throws(TOMLError) {
        guard let first = path.first else { return }
        if path.count == 1 {
            var value = table[first]
            try body(&value)
            table[first] = value
            return
        }
        var child: [String: TOMLValue]
        switch table[first] {
        case nil: child = [:]
        case .table(let existing): child = existing
        case .some(let other): throw error("\(first) is a \(other.typeName), not a table")
        }
        try modify(path: Array(path.dropFirst()), in: &child, body)
        table[first] = .table(child)
    }

    // MARK: Lexing

    private func peek() -> Character? {
        position < characters.count ? characters[position] : nil
    }

    private func lookahead(_ text: String) -> Bool {
        let expected = Array(text)
        return position + expected.count <= characters.count && Array(characters[position..<(position + expected.count)]) == expected
    }

    private mutating func advance() {
        if characters[position] == "\n" || characters[position] == "\r\n" { line += 1 }
        position += 1
    }

    private mutating func skipSpaces() {
        while let character = peek(), character == " " || character == "\t" { advance() }
    }

    private mutating func skipWhitespaceAndComments(acrossLines: Bool) {
        while let character = peek() {
            if character == " " || character == "\t" || (acrossLines && (character == "\n" || character == "\r\n" || character == "\r")) {
                advance()
            } else if character == "#" {
                while let next = peek(), next != "\n" && next != "\r\n" { advance() }
            } else {
                return
            }
        }
    }

    private mutating func expectEndOfLine() throws(TOMLError) {
        skipWhitespaceAndComments(acrossLines: false)
        guard let character = peek() else { return }
        guard character == "\n" || character == "\r\n" else { throw error("unexpected '\(character)' after the value") }
        advance()
    }

    private func error(_ message: String) -> TOMLError {
        TOMLError(line: line, message: message)
    }
}
