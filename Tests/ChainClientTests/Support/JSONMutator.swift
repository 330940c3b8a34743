import TestSupport

/// Mutates JSON bytes the ways a broken or hostile endpoint might: flipped and deleted bytes, cut
/// answers, spliced tokens, duplicated slices, hex digits made invalid, and deep nesting.
struct JSONMutator {
    private static let tokens: [String] = [
        "{", "}", "[", "]", "\"", ",", ":", "null", "true", "-1", "1e999", "0.5", "\"0x\"", "\"0x0\"",
        "\"0x00\"", "\"0xZZ\"", "\\u0000", "\\ud800", "{\"jsonrpc\":\"2.0\"}", "\"result\"", "\"error\"",
        String(repeating: "[", count: 600), String(repeating: "{\"a\":", count: 300), "\u{FF}\u{FE}"
    ]

    var random: SplitMix64

    mutating func mutate(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        for _ in 0...Int.random(in: 0...2, using: &random) {
            bytes = mutateOnce(bytes)
        }
        return bytes
    }

    private mutating func mutateOnce(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        guard !bytes.isEmpty else { return Array(Self.tokens.randomElement(using: &random)!.utf8) }
        let position = Int.random(in: 0..<bytes.count, using: &random)
        switch Int.random(in: 0..<7, using: &random) {
        case 0:
            bytes[position] = UInt8.random(in: 0...255, using: &random)
        case 1:
            let end = min(bytes.count, position + Int.random(in: 1...16, using: &random))
            bytes.removeSubrange(position..<end)
        case 2:
            bytes.removeSubrange(position...)
        case 3:
            bytes.insert(contentsOf: Array(Self.tokens.randomElement(using: &random)!.utf8), at: position)
        case 4:
            let end = min(bytes.count, position + Int.random(in: 1...40, using: &random))
            bytes.insert(contentsOf: bytes[position..<end], at: Int.random(in: 0...bytes.count, using: &random))
        case 5:
            let digits = bytes.indices.filter { (0x30...0x39).contains(bytes[$0]) || (0x61...0x66).contains(bytes[$0]) }
            if let index = digits.randomElement(using: &random) {
                bytes[index] = Array("gG0x \"-".utf8).randomElement(using: &random)!
            }
        default:
            let quotes = bytes.indices.filter { bytes[$0] == UInt8(ascii: "\"") }
            if let index = quotes.randomElement(using: &random) { bytes.remove(at: index) }
        }
        return bytes
    }
}
