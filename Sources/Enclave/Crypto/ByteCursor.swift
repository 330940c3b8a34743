/// Reads fixed-size fields from the front of untrusted bytes without ever reading past the end.
struct ByteCursor {
    private let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// How many bytes are left to read.
    var remaining: Int { bytes.count - offset }

    /// The next `count` bytes, or `nil` (and nothing consumed) when fewer are left.
    mutating func take(_ count: Int) -> [UInt8]? {
        guard count >= 0, count <= remaining else { return nil }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    /// The next `count` bytes, or `error` when fewer are left.
    mutating func take<Failure: Error>(_ count: Int, orThrow error: @autoclosure () -> Failure) throws(Failure) -> [UInt8] {
        guard let field = take(count) else { throw error() }
        return field
    }
}

extension Array where Element == UInt8 {
    /// Appends the low `width` bytes of `value`, most significant first.
    mutating func appendBigEndian(_ value: UInt64, width: Int) {
        for shift in stride(from: (width - 1) * 8, through: 0, by: -8) {
            append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }
}
