import Testing
import Ethereum

/// Hand-built hostile encodings: each must fail with the specific typed error.
@Suite struct ABIDecoderStrictnessTests {
    static func word(_ value: UInt64) -> [UInt8] { UInt256(value).bytes32.bytes }
    static func word(lastBytes: [UInt8]) -> [UInt8] { [UInt8](repeating: 0, count: 32 - lastBytes.count) + lastBytes }

    @Test func paddingMustBeCanonical() throws {
        #expect(throws: ABIError.nonCanonicalPadding(at: 0)) { try ABI.decode([.uint(bits: 8)], from: Self.word(256)) }
        #expect(try ABI.decode([.uint(bits: 8)], from: Self.word(255)) == [.uint(255)])
        // int8: -1 must be sign-extended through all 32 bytes; 0x80 alone is +128, out of range.
        #expect(try ABI.decode([.int(bits: 8)], from: [UInt8](repeating: 0xFF, count: 32)) == [.int(-1)])
        #expect(throws: ABIError.nonCanonicalPadding(at: 0)) { try ABI.decode([.int(bits: 8)], from: Self.word(0x80)) }
        #expect(throws: ABIError.nonCanonicalPadding(at: 0)) {
            try ABI.decode([.int(bits: 8)], from: [UInt8](repeating: 0, count: 31) + [0xFF])
        }
        #expect(throws: ABIError.nonCanonicalPadding(at: 0)) { try ABI.decode([.address], from: [1] + [UInt8](repeating: 0, count: 31)) }
        #expect(throws: ABIError.invalidBool(at: 32)) { try ABI.decode([.bool, .bool], from: Self.word(1) + Self.word(2)) }
        var bytes4 = [UInt8](repeating: 0xAB, count: 4) + [UInt8](repeating: 0, count: 28)
        #expect(try ABI.decode([.fixedBytes(4)], from: bytes4) == [.fixedBytes([0xAB, 0xAB, 0xAB, 0xAB])])
        bytes4[31] = 1
        #expect(throws: ABIError.nonCanonicalPadding(at: 0)) { try ABI.decode([.fixedBytes(4)], from: bytes4) }
    }

    @Test func dynamicContentsAreChecked() {
        // bytes of length 1 with a non-zero padding byte.
        let padded = Self.word(32) + Self.word(1) + [0x61, 0x62] + [UInt8](repeating: 0, count: 30)
        #expect(throws: ABIError.nonCanonicalPadding(at: 65)) { try ABI.decode([.bytes], from: padded) }
        let invalidUTF8 = Self.word(32) + Self.word(2) + [0xC3, 0x28] + [UInt8](repeating: 0, count: 30)
        #expect(throws: ABIError.invalidUTF8(at: 32)) { try ABI.decode([.string], from: invalidUTF8) }
        // The padding after the contents must be present, not just the contents.
        let unpadded = Self.word(32) + Self.word(2) + [0x61, 0x62]
        #expect(throws: ABIError.lengthOutOfRange(at: 32)) { try ABI.decode([.string], from: unpadded) }
    }

    @Test func offsetsLengthsAndCountsAreBounded() {
        #expect(throws: ABIError.truncated(offset: 0)) { try ABI.decode([.uint(bits: 256)], from: [UInt8](repeating: 0, count: 31)) }
        #expect(throws: ABIError.offsetOutOfRange(at: 0)) { try ABI.decode([.bytes], from: Self.word(64)) }
        #expect(throws: ABIError.offsetOutOfRange(at: 0)) { try ABI.decode([.string], from: [UInt8](repeating: 0xFF, count: 32)) }
        // Offsets into the heads (here: the second offset points at the first head word), as eth-abi rejects them.
        #expect(throws: ABIError.offsetOutOfRange(at: 32)) { try ABI.decode([.uint(bits: 256), .bytes], from: Self.word(0) + Self.word(0)) }
        #expect(throws: ABIError.offsetOutOfRange(at: 64)) {
            try ABI.decode([.array(.bytes)], from: Self.word(32) + Self.word(1) + Self.word(0) + Self.word(0))
        }
        #expect(throws: ABIError.lengthOutOfRange(at: 32)) { try ABI.decode([.bytes], from: Self.word(32) + Self.word(1 << 40)) }
        #expect(throws: ABIError.lengthOutOfRange(at: 32)) { try ABI.decode([.bytes], from: Self.word(32) + [UInt8](repeating: 0xFF, count: 32)) }
        // An array claiming 64 elements with room for 2.
        let array = Self.word(32) + Self.word(64) + Self.word(1) + Self.word(2)
        #expect(throws: ABIError.lengthOutOfRange(at: 32)) { try ABI.decode([.array(.uint(bits: 256))], from: array) }
        // A static array longer than the input.
        #expect(throws: ABIError.lengthOutOfRange(at: 0)) {
            try ABI.decode([.fixedArray(.uint(bits: 256), 1 << 24)], from: Self.word(1))
        }
    }

    /// Every level's elements point at the same child, so values multiply with depth while the input
    /// stays small.
    @Test func aliasedOffsetsCannotMultiplyWork() {
        let fanOut: UInt64 = 30
        var data = Self.word(32)
        for _ in 0..<4 {
            data += Self.word(fanOut)
            for _ in 0..<fanOut { data += Self.word(32 * fanOut) }
        }
        data += Self.word(fanOut) + [UInt8](repeating: 0, count: 32 * Int(fanOut))
        let type = ABIType.array(.array(.array(.array(.array(.uint(bits: 256))))))
        #expect(throws: ABIError.decodingLimitExceeded) { try ABI.decode([type], from: data) }

        // One large bytes value referenced by every element of a bytes[].
        var blob = Self.word(32) + Self.word(100)
        for _ in 0..<100 { blob += Self.word(32 * 100) }
        blob += Self.word(3200) + [UInt8](repeating: 7, count: 3200)
        #expect(throws: ABIError.decodingLimitExceeded) { try ABI.decode([.array(.bytes)], from: blob) }
    }

    @Test func trailingBytesAreIgnoredAndSlicesWork() throws {
        let data = [0xEE] + Self.word(7) + [1, 2, 3]
        #expect(try ABI.decode([.uint(bits: 64)], from: data[1...]) == [.uint(7)])
    }
}
