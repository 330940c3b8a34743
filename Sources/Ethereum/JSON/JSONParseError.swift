/// Why text is not a JSON document this parser accepts; `position` is a byte offset.
public struct JSONParseError: Error, Equatable, Sendable {
    public enum Reason: Equatable, Sendable {
        case unexpectedEnd
        case unexpectedCharacter
        case invalidNumber
        case invalidEscape
        case invalidUTF8
        case duplicateKey
        case nestingTooDeep
        case trailingCharacters
    }

    public let reason: Reason
    public let position: Int
}
