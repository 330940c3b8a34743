extension ABIError: CustomStringConvertible {
    /// One line naming what is wrong and where.
    public var description: String {
        switch self {
        case .invalidType(let text, let position): "invalid ABI type '\(text)' at character \(position)"
        case .typeNestingTooDeep: "ABI type nests more than \(ABITypeParser.maximumDepth) levels"
        case .truncated(let offset): "ABI data ends inside the word at byte \(offset)"
        case .offsetOutOfRange(let at): "ABI offset at byte \(at) points into the heads or past the data"
        case .lengthOutOfRange(let at): "ABI length or count at byte \(at) exceeds the data"
        case .nonCanonicalPadding(let at): "ABI word at byte \(at) has non-zero padding"
        case .invalidBool(let at): "ABI bool at byte \(at) is neither 0 nor 1"
        case .invalidUTF8(let at): "ABI string at byte \(at) is not UTF-8"
        case .decodingLimitExceeded: "ABI data expands to far more values than its size allows (aliased offsets)"
        case .valueMismatch(let expected): "value does not fit ABI type \(expected)"
        case .unexpectedKind(let expected): "ABI value is not a \(expected)"
        case .countMismatch(let expected, let actual): "\(actual) ABI values given where \(expected) are needed"
        case .unsupportedPackedType(let type): "abi.encodePacked cannot encode \(type)"
        case .selectorMismatch: "calldata does not start with the function's selector"
        case .topicMismatch: "log's first topic is not the event's signature hash"
        case .topicCountMismatch(let expected, let actual): "log has \(actual) topics where the event has \(expected)"
        }
    }
}
