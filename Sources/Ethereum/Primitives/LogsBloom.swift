/// A block's 2048-bit logs bloom (Yellow Paper §4.3.1, M3:2048): every log address and topic of the
/// block sets three bits, each chosen by 11 bits of the first six bytes of its Keccak-256 hash. A clear
/// bit proves a value is absent; all three set means it may be present.
public struct LogsBloom: Hashable, Sendable {
    public static let byteCount = 256
    /// The 256 bytes, big-endian: bit `i` of the filter is bit `i % 8` of byte `255 - i / 8`.
    public private(set) var bytes: [UInt8]

    public init() {
        bytes = [UInt8](repeating: 0, count: Self.byteCount)
    }

    /// Nil unless `bytes` has exactly 256 bytes.
    public init?(_ bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = bytes
    }

    /// Sets the three bits of `value` (an address's 20 bytes or a topic's 32).
    public mutating func add(_ value: [UInt8]) {
        for (index, bit) in Self.positions(of: value) { bytes[index] |= bit }
    }

    /// False when `value` is certainly not in the filter.
    public func mightContain(_ value: [UInt8]) -> Bool {
        Self.positions(of: value).allSatisfy { bytes[$0.index] & $0.bit != 0 }
    }

    private static func positions(of value: [UInt8]) -> [(index: Int, bit: UInt8)] {
        let hash = Keccak256.hash(value).bytes
        return stride(from: 0, to: 6, by: 2).map { offset in
            let position = (Int(hash[offset]) << 8 | Int(hash[offset + 1])) & 2047
            return (byteCount - 1 - position / 8, UInt8(1) << UInt8(position % 8))
        }
    }
}
