extension RLPError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .empty: "no RLP data"
        case .truncated: "RLP item runs past the end of its input"
        case .trailingBytes(let count): "\(count) bytes after the RLP item"
        case .nonCanonicalSingleByte: "single byte below 0x80 wrapped in an RLP string header"
        case .nonMinimalLength: "long-form RLP header for a payload under 56 bytes"
        case .leadingZeroInLength: "RLP length with a leading zero byte"
        case .lengthTooLarge: "RLP length too large"
        case .nestingTooDeep(let limit): "RLP lists nested deeper than \(limit)"
        case .expectedBytes: "RLP list where a byte string was expected"
        case .expectedList: "RLP byte string where a list was expected"
        case .wrongItemCount(let expected, let actual): "RLP list of \(actual) items where \(expected) were expected"
        case .leadingZeroInInteger: "RLP integer with a leading zero byte"
        case .integerTooLarge(let maximumBytes): "RLP integer wider than \(maximumBytes) bytes"
        case .wrongLength(let expected, let actual): "RLP value of \(actual) bytes where \(expected) were expected"
        }
    }
}
