/// Why bytes are not canonical RLP, or an item does not have the shape a reader expected.
public enum RLPError: Error, Equatable, Sendable {
    /// No bytes where an item was expected.
    case empty
    /// A header or payload runs past the end of the input.
    case truncated
    /// Bytes remain after the single top-level item.
    case trailingBytes(count: Int)
    /// A single byte below `0x80` wrapped in a string header instead of standing for itself.
    case nonCanonicalSingleByte
    /// A long-form header for a payload shorter than 56 bytes.
    case nonMinimalLength
    /// A length field that starts with a zero byte.
    case leadingZeroInLength
    /// A length that cannot be represented on this machine.
    case lengthTooLarge
    /// Lists nested deeper than ``RLP/maximumDepth``.
    case nestingTooDeep(limit: Int)
    /// A list where a byte string was expected.
    case expectedBytes
    /// A byte string where a list was expected.
    case expectedList
    /// A list with the wrong number of items.
    case wrongItemCount(expected: Int, actual: Int)
    /// An integer encoded with leading zero bytes.
    case leadingZeroInInteger
    /// An integer too wide for the field that reads it.
    case integerTooLarge(maximumBytes: Int)
    /// A fixed-size value (address, hash) of the wrong length.
    case wrongLength(expected: Int, actual: Int)
}
