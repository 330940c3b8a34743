extension RLPItem {
    /// The canonical RLP encoding of this item.
    public var encoded: [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(encodedCount)
        append(to: &output)
        return output
    }

    /// The number of bytes ``encoded`` produces, computed without encoding.
    public var encodedCount: Int {
        switch self {
        case .bytes(let bytes):
            if bytes.count == 1 && bytes[0] < 0x80 { return 1 }
            return Self.headerCount(payloadCount: bytes.count) + bytes.count
        case .list(let items):
            let payload = items.reduce(0) { $0 + $1.encodedCount }
            return Self.headerCount(payloadCount: payload) + payload
        }
    }

    /// Appends the canonical encoding of this item to `output`.
    public func append(to output: inout [UInt8]) {
        switch self {
        case .bytes(let bytes):
            if bytes.count == 1 && bytes[0] < 0x80 {
                output.append(bytes[0])
            } else {
                Self.appendHeader(shortBase: 0x80, payloadCount: bytes.count, to: &output)
                output.append(contentsOf: bytes)
            }
        case .list(let items):
            let payload = items.reduce(0) { $0 + $1.encodedCount }
            Self.appendHeader(shortBase: 0xC0, payloadCount: payload, to: &output)
            for item in items { item.append(to: &output) }
        }
    }

    private static func headerCount(payloadCount: Int) -> Int {
        payloadCount < 56 ? 1 : 1 + lengthBytes(payloadCount).count
    }

    /// `shortBase + count` for payloads under 56 bytes, otherwise `shortBase + 55 + n` followed by the
    /// n-byte big-endian count.
    private static func appendHeader(shortBase: UInt8, payloadCount: Int, to output: inout [UInt8]) {
        if payloadCount < 56 {
            output.append(shortBase + UInt8(payloadCount))
        } else {
            let length = lengthBytes(payloadCount)
            output.append(shortBase + 55 + UInt8(length.count))
            output.append(contentsOf: length)
        }
    }

    private static func lengthBytes(_ count: Int) -> [UInt8] {
        var value = UInt64(count)
        var bytes: [UInt8] = []
        while value > 0 {
            bytes.append(UInt8(truncatingIfNeeded: value))
            value >>= 8
        }
        return bytes.reversed()
    }
}
