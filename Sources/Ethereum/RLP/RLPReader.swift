/// Walks canonical RLP in a byte array, checking every header against the bytes its enclosing list
/// (or the whole input) still holds.
struct RLPReader {
    let input: [UInt8]
    private(set) var position = 0

    init(input: [UInt8]) {
        self.input = input
    }

    /// Reads the item that starts at `position`, which must end by `limit`, and moves past it.
    mutating func readItem(depth: Int, limit: Int) throws(RLPError) -> RLPItem {
        guard position < limit else { throw .truncated }
        let prefix = input[position]
        position += 1
        switch prefix {
        case 0x00...0x7F:
            return .bytes([prefix])
        case 0x80...0xB7:
            let count = Int(prefix - 0x80)
            let payload = try take(count, limit: limit)
            if count == 1 && payload[0] < 0x80 { throw .nonCanonicalSingleByte }
            return .bytes(payload)
        case 0xB8...0xBF:
            let count = try readLongLength(lengthOfLength: Int(prefix - 0xB7), limit: limit)
            return .bytes(try take(count, limit: limit))
        case 0xC0...0xF7:
            return .list(try readListPayload(count: Int(prefix - 0xC0), depth: depth, limit: limit))
        default:
            let count = try readLongLength(lengthOfLength: Int(prefix - 0xF7), limit: limit)
            return .list(try readListPayload(count: count, depth: depth, limit: limit))
        }
    }

    private mutating func readListPayload(count: Int, depth: Int, limit: Int) throws(RLPError) -> [RLPItem] {
        guard depth < RLP.maximumDepth else { throw .nestingTooDeep(limit: RLP.maximumDepth) }
        guard count <= limit - position else { throw .truncated }
        let end = position + count
        var items: [RLPItem] = []
        while position < end {
            items.append(try readItem(depth: depth + 1, limit: end))
        }
        return items
    }

    /// Reads a big-endian length of `lengthOfLength` bytes that must be minimal and at least 56.
    private mutating func readLongLength(lengthOfLength: Int, limit: Int) throws(RLPError) -> Int {
        guard lengthOfLength <= limit - position else { throw .truncated }
        guard input[position] != 0 else { throw .leadingZeroInLength }
        var value: UInt64 = 0
        for byte in input[position..<(position + lengthOfLength)] {
            value = value << 8 | UInt64(byte)
        }
        position += lengthOfLength
        guard value <= UInt64(Int.max) else { throw .lengthTooLarge }
        guard value >= 56 else { throw .nonMinimalLength }
        return Int(value)
    }

    private mutating func take(_ count: Int, limit: Int) throws(RLPError) -> [UInt8] {
        guard count <= limit - position else { throw .truncated }
        defer { position += count }
        return Array(input[position..<(position + count)])
    }
}
