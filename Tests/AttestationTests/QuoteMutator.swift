import TestSupport

/// Produces hostile variants of a real quote: flipped bits, overwritten bytes, corrupted length fields,
/// truncations, extensions and splices, plus purely random byte strings.
struct QuoteMutator {
    let originals: [[UInt8]]
    /// Offsets of the length and type fields the parser trusts least (both quote layouts).
    let lengthFieldOffsets: [Int] = [0, 2, 4, 432, 632, 764, 766, 1212, 1214, 1246, 1248, 1278, 1280]

    func mutate(using rng: inout SplitMix64) -> [UInt8] {
        var bytes = originals[Int.random(in: 0..<originals.count, using: &rng)]
        switch Int.random(in: 0..<7, using: &rng) {
        case 0:
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= UInt8(1) << UInt8.random(in: 0...7, using: &rng)
            }
        case 1:
            for _ in 0..<Int.random(in: 1...32, using: &rng) {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
        case 2:
            let offset = lengthFieldOffsets.randomElement(using: &rng) ?? 0
            let values: [UInt8] = [0x00, 0xff, 0x7f, 0x80, UInt8.random(in: 0...255, using: &rng)]
            for i in offset..<min(offset + 4, bytes.count) { bytes[i] = values.randomElement(using: &rng) ?? 0 }
        case 3:
            bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &rng)))
        case 4:
            bytes += rng.bytes(Int.random(in: 1...512, using: &rng))
        case 5:
            let other = originals[Int.random(in: 0..<originals.count, using: &rng)]
            let cut = Int.random(in: 0..<min(bytes.count, other.count), using: &rng)
            bytes = Array(bytes[..<cut]) + Array(other[Int.random(in: 0..<other.count, using: &rng)...])
        default:
            bytes = rng.bytes(Int.random(in: 0...6000, using: &rng))
            if Bool.random(using: &rng), bytes.count >= 8 {
                bytes.replaceSubrange(0..<8, with: [UInt8.random(in: 3...5, using: &rng), 0, 2, 0, 0x81, 0, 0, 0])
            }
        }
        return bytes
    }
}
