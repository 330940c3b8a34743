import TestSupport

/// Byte-level mutations that aim at length-prefixed and textual formats: bit flips, truncations,
/// insertions, deletions, duplicated chunks, boundary bytes and corrupted RLP length fields.
struct FuzzMutator {
    var generator: SplitMix64

    /// Bytes that sit on RLP's header boundaries, plus JSON's structural characters.
    static let interesting: [UInt8] = [
        0x00, 0x01, 0x7F, 0x80, 0x81, 0xB7, 0xB8, 0xBF, 0xC0, 0xC1, 0xF7, 0xF8, 0xFF,
        0x22, 0x2C, 0x3A, 0x5B, 0x5D, 0x7B, 0x7D, 0x30, 0x39
    ]

    mutating func randomBytes(maxCount: Int) -> [UInt8] {
        (0..<Int.random(in: 0...maxCount, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// One to four mutations of `input`.
    mutating func mutate(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &generator) { mutateOnce(&bytes) }
        return bytes
    }

    private mutating func position(in bytes: [UInt8]) -> Int {
        Int.random(in: 0..<max(bytes.count, 1), using: &generator)
    }

    private mutating func mutateOnce(_ bytes: inout [UInt8]) {
        guard !bytes.isEmpty else {
            bytes = randomBytes(maxCount: 8)
            return
        }
        let at = position(in: bytes)
        switch Int.random(in: 0..<9, using: &generator) {
        case 0:
            bytes[at] ^= 1 << UInt8.random(in: 0...7, using: &generator)
        case 1:
            bytes.removeLast(Int.random(in: 1...bytes.count, using: &generator))
        case 2:
            bytes.insert(contentsOf: randomBytes(maxCount: 4), at: at)
        case 3:
            bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...8, using: &generator)))
        case 4:
            bytes[at] = Self.interesting.randomElement(using: &generator) ?? 0
        case 5:
            bytes[at] = bytes[at] &+ (Bool.random(using: &generator) ? 1 : 0xFF)
        case 6:
            let end = min(bytes.count, at + Int.random(in: 1...32, using: &generator))
            bytes.insert(contentsOf: bytes[at..<end], at: position(in: bytes))
        case 7:
            corruptLengthField(&bytes, at: at)
        default:
            bytes.append(contentsOf: randomBytes(maxCount: 3))
        }
    }

    /// Turns the byte at `at` into a long-form RLP header with random length bytes after it.
    private mutating func corruptLengthField(_ bytes: inout [UInt8], at: Int) {
        let lengthOfLength = Int.random(in: 1...8, using: &generator)
        bytes[at] = (Bool.random(using: &generator) ? 0xB7 : 0xF7) + UInt8(lengthOfLength)
        let length = (0..<lengthOfLength).map { _ in
            Self.interesting.randomElement(using: &generator) ?? 0
        }
        let end = min(bytes.count, at + 1 + lengthOfLength)
        bytes.replaceSubrange((at + 1 < bytes.count ? at + 1 : bytes.count)..<end, with: length)
    }
}
