/// Typed values to and from items: integers without leading zeros, addresses, hashes.
extension RLPItem {
    /// An unsigned integer as its minimal big-endian bytes (zero is the empty string).
    public init(_ value: UInt256) {
        self = .bytes(value.minimalBytes)
    }

    /// An unsigned integer as its minimal big-endian bytes (zero is the empty string).
    public init(_ value: UInt64) {
        self = .bytes(Self.minimalBytes(value))
    }

    /// The 20 address bytes.
    public init(_ address: Address) {
        self = .bytes(address.bytes)
    }

    /// The 32 bytes.
    public init(_ word: Bytes32) {
        self = .bytes(word.bytes)
    }

    /// A canonical integer of at most 32 bytes.
    public func uint256Value() throws(RLPError) -> UInt256 {
        let bytes = try integerBytes(maximumBytes: 32)
        // Cannot fail: at most 32 bytes were accepted above.
        return UInt256(bigEndian: bytes) ?? .zero
    }

    /// A canonical integer of at most 8 bytes.
    public func uint64Value() throws(RLPError) -> UInt64 {
        try integerBytes(maximumBytes: 8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Exactly 20 bytes.
    public func addressValue() throws(RLPError) -> Address {
        let bytes = try bytesValue()
        guard let address = Address(bytes) else { throw .wrongLength(expected: 20, actual: bytes.count) }
        return address
    }

    /// Exactly 32 bytes.
    public func bytes32Value() throws(RLPError) -> Bytes32 {
        let bytes = try bytesValue()
        guard let word = Bytes32(bytes) else { throw .wrongLength(expected: 32, actual: bytes.count) }
        return word
    }

    private func integerBytes(maximumBytes: Int) throws(RLPError) -> [UInt8] {
        let bytes = try bytesValue()
        guard bytes.first != 0 else { throw .leadingZeroInInteger }
        guard bytes.count <= maximumBytes else { throw .integerTooLarge(maximumBytes: maximumBytes) }
        return bytes
    }

    private static func minimalBytes(_ value: UInt64) -> [UInt8] {
        let count = (64 - value.leadingZeroBitCount + 7) / 8
        return (0..<count).map { UInt8(truncatingIfNeeded: value >> UInt64(8 * (count - 1 - $0))) }
    }
}
