/// Ethereum's Keccak-256: the original Keccak submission with rate 1088 bits and padding `0x01 … 0x80`.
///
/// This is *not* FIPS 202 SHA3-256, which pads with `0x06`. Use ``hash(_:)`` for one-shot hashing, or
/// ``update(_:)`` followed by ``finalize()`` to hash data that arrives in pieces. The hasher is a value
/// type with inline storage: hashing never allocates.
public struct Keccak256: Sendable {
    /// Bytes absorbed per permutation (1088-bit rate).
    static let rate = 136

    private var state = InlineArray<25, UInt64>(repeating: 0)
    private var pending = InlineArray<136, UInt8>(repeating: 0)
    private var pendingCount = 0

    /// A hasher with nothing absorbed yet.
    public init() {}

    /// The Keccak-256 digest of `data`.
    public static func hash(_ data: some Sequence<UInt8>) -> Bytes32 {
        var hasher = Keccak256()
        hasher.update(data)
        return hasher.finalize()
    }

    /// Absorbs `data`.
    public mutating func update(_ data: some Sequence<UInt8>) {
        let handledContiguously: Void? = data.withContiguousStorageIfAvailable { buffer in
            update(UnsafeRawBufferPointer(buffer))
        }
        if handledContiguously == nil {
            let copy = Array(data)
            copy.withUnsafeBytes { update($0) }
        }
    }

    /// Absorbs the bytes of `buffer`.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        var offset = 0
        if pendingCount > 0 {
            let taken = min(Self.rate - pendingCount, buffer.count)
            for index in 0..<taken { pending[pendingCount + index] = buffer[index] }
            pendingCount += taken
            offset = taken
            guard pendingCount == Self.rate else { return }
            absorbPending()
        }
        let blockCount = (buffer.count - offset) / Self.rate
        if blockCount > 0 {
            keccakAbsorb(&state, buffer, offset: offset, blockCount: blockCount)
            offset += blockCount * Self.rate
        }
        let remaining = buffer.count - offset
        for index in 0..<remaining { pending[index] = buffer[offset + index] }
        pendingCount = remaining
    }

    /// Pads, squeezes and returns the digest. The hasher should not be used afterwards.
    public mutating func finalize() -> Bytes32 {
        for index in pendingCount..<Self.rate { pending[index] = 0 }
        pending[pendingCount] ^= 0x01
        pending[Self.rate - 1] ^= 0x80
        absorbPending()
        // Lanes hold bytes little-endian; Bytes32 words are big-endian.
        return Bytes32(words: (state[0].byteSwapped, state[1].byteSwapped, state[2].byteSwapped, state[3].byteSwapped))
    }

    private mutating func absorbPending() {
        var block = pending
        withUnsafeBytes(of: &block) { keccakAbsorb(&state, $0, offset: 0, blockCount: 1) }
        pendingCount = 0
    }
}
