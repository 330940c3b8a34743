/// Exactly 32 bytes: a hash, a storage word, an ABI word or a log topic.
///
/// Held as four big-endian 64-bit words, so values are compared, hashed and copied without allocation.
public struct Bytes32: Hashable, Sendable, Comparable {
    private var words: (UInt64, UInt64, UInt64, UInt64)

    /// All zero bytes.
    public static let zero = Bytes32(words: (0, 0, 0, 0))

    init(words: (UInt64, UInt64, UInt64, UInt64)) {
        self.words = words
    }

    /// The value of exactly 32 bytes, or `nil` for any other count.
    public init?(_ bytes: some Collection<UInt8>) {
        guard bytes.count == 32 else { return nil }
        self.init(unchecked: Array(bytes))
    }

    /// Parses `0x`-prefixed (or bare) hex of exactly 32 bytes.
    public init(hex: some StringProtocol) throws(HexError) {
        let bytes = try Hex.decode(hex)
        guard bytes.count == 32 else { throw .wrongLength(expected: 32, actual: bytes.count) }
        self.init(unchecked: bytes)
    }

    /// `bytes` must hold exactly 32 bytes.
    init(unchecked bytes: [UInt8]) {
        func word(_ index: Int) -> UInt64 {
            var value: UInt64 = 0
            for byte in bytes[(index * 8)..<(index * 8 + 8)] { value = value << 8 | UInt64(byte) }
            return value
        }
        words = (word(0), word(1), word(2), word(3))
    }

    /// The 32 bytes in order.
    public var bytes: [UInt8] {
        var result = [UInt8]()
        result.reserveCapacity(32)
        for word in [words.0, words.1, words.2, words.3] {
            for shift in stride(from: 56, through: 0, by: -8) { result.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        return result
    }

    /// Lower-case `0x`-prefixed hex.
    public var hex: String { Hex.encode(bytes) }

    public static func == (lhs: Bytes32, rhs: Bytes32) -> Bool {
        lhs.words == rhs.words
    }

    public static func < (lhs: Bytes32, rhs: Bytes32) -> Bool {
        (lhs.words.0, lhs.words.1, lhs.words.2, lhs.words.3) < (rhs.words.0, rhs.words.1, rhs.words.2, rhs.words.3)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }
}

extension Bytes32: CustomStringConvertible {
    public var description: String { hex }
}

extension Bytes32: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(hex: text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}
