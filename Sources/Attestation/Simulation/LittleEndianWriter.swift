/// Appends fields in the little-endian layout of DCAP quotes.
struct LittleEndianWriter {
    private(set) var bytes: [UInt8] = []

    mutating func append(_ data: [UInt8]) { bytes += data }

    mutating func append(_ value: UInt16) { bytes += [UInt8(value & 0xff), UInt8(value >> 8)] }

    mutating func append(_ value: UInt32) {
        bytes += [UInt8(value & 0xff), UInt8(value >> 8 & 0xff), UInt8(value >> 16 & 0xff), UInt8(value >> 24)]
    }

    mutating func zeros(_ count: Int) { bytes += [UInt8](repeating: 0, count: count) }

    /// A block preceded by its 32-bit length.
    mutating func appendSized(_ data: [UInt8]) {
        append(UInt32(data.count))
        append(data)
    }
}
