/// A bounds-checked cursor over untrusted bytes: every read either returns exactly the bytes asked for
/// or throws, so hostile lengths can never cause an out-of-bounds access.
struct ByteReader {
    private let bytes: [UInt8]
    private(set) var offset: Int

    init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    /// Bytes left after the cursor.
    var remaining: Int { bytes.count - offset }

    /// Reads `count` bytes and advances; `field` names what was being read for the error.
    mutating func read(_ count: Int, _ field: QuoteField) throws(QuoteParseError) -> [UInt8] {
        guard count >= 0, count <= remaining else {
            throw .truncated(field: field, offset: offset, needed: count, available: remaining)
        }
        let slice = Array(bytes[offset..<(offset + count)])
        offset += count
        return slice
    }

    mutating func readUInt16(_ field: QuoteField) throws(QuoteParseError) -> UInt16 {
        let b = try read(2, field)
        return UInt16(b[0]) | UInt16(b[1]) << 8
    }

    mutating func readUInt32(_ field: QuoteField) throws(QuoteParseError) -> UInt32 {
        let b = try read(4, field)
        return UInt32(b[0]) | UInt32(b[1]) << 8 | UInt32(b[2]) << 16 | UInt32(b[3]) << 24
    }

    /// Reads a length-prefixed block whose declared length must fit in what is left.
    mutating func readBlock(length: UInt32, _ field: QuoteField) throws(QuoteParseError) -> [UInt8] {
        guard length <= UInt32(Int32.max), Int(length) <= remaining else {
            throw .declaredLengthTooLarge(field: field, declared: Int(length), available: remaining)
        }
        return try read(Int(length), field)
    }
}
