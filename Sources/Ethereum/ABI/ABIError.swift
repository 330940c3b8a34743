/// Why an ABI type, value or encoding was rejected. Offsets are byte positions in the decoded input.
public enum ABIError: Error, Equatable, Sendable {
    /// A type string or signature that is not valid ABI; carries the text and the position of the problem.
    case invalidType(String, position: Int)
    /// Type strings nest tuples and arrays more than ``ABITypeParser/maximumDepth`` deep.
    case typeNestingTooDeep
    /// A 32-byte word at `offset` runs past the end of the input.
    case truncated(offset: Int)
    /// An offset word at `at` points back into the heads or outside the input.
    case offsetOutOfRange(at: Int)
    /// A length or element count at `at` claims more bytes than the input holds.
    case lengthOutOfRange(at: Int)
    /// Bytes that must be zero (or sign extension) in the word at `at` are not: solc rejects this too.
    case nonCanonicalPadding(at: Int)
    /// A bool word at `at` is neither 0 nor 1.
    case invalidBool(at: Int)
    /// A string at `at` is not valid UTF-8.
    case invalidUTF8(at: Int)
    /// Decoding would produce far more values than the input could canonically hold (offsets aliasing
    /// one another to multiply work).
    case decodingLimitExceeded
    /// A value does not fit the type it is encoded as (wrong case, out of range, wrong length).
    case valueMismatch(expected: ABIType)
    /// A value read through an accessor such as ``ABIValue/asUInt()`` is of another kind.
    case unexpectedKind(expected: String)
    /// A list of values has `actual` entries where the types call for `expected`.
    case countMismatch(expected: Int, actual: Int)
    /// `abi.encodePacked` has no encoding for this type (tuples, nested arrays, arrays of dynamic types).
    case unsupportedPackedType(ABIType)
    /// Calldata does not start with the function's 4-byte selector.
    case selectorMismatch
    /// A log's first topic is not the event's signature hash.
    case topicMismatch
    /// A log has `actual` topics where the event has `expected`.
    case topicCountMismatch(expected: Int, actual: Int)
}
