import TestSupport
import Ethereum

/// Mutations aimed at the ABI's 32-byte words: offsets and lengths set to boundary values, padding
/// bytes made non-zero, truncation, words swapped or repeated; plus FuzzMutator's byte-level ones.
struct ABIMutator {
    var generator: SplitMix64
    var bytes: FuzzMutator

    init(seed: UInt64) {
        generator = SplitMix64(seed: seed)
        bytes = FuzzMutator(generator: SplitMix64(seed: seed ^ 0x5EED))
    }

    /// One to three mutations of `input`.
    mutating func mutate(_ input: [UInt8]) -> [UInt8] {
        var data = input
        for _ in 0..<Int.random(in: 1...3, using: &generator) { mutateOnce(&data) }
        return data
    }

    private mutating func mutateOnce(_ data: inout [UInt8]) {
        let words = data.count / 32
        guard words > 0 else {
            data = bytes.mutate(data)
            return
        }
        let word = Int.random(in: 0..<words, using: &generator) * 32
        switch Int.random(in: 0..<6, using: &generator) {
        case 0:
            data.replaceSubrange(word..<(word + 32), with: boundaryValue(count: data.count).bytes32.bytes)
        case 1:
            data.removeLast(Int.random(in: 1...data.count, using: &generator))
        case 2:
            data[word + Int.random(in: 0..<31, using: &generator)] = UInt8.random(in: 1...255, using: &generator)
        case 3:
            let other = Int.random(in: 0..<words, using: &generator) * 32
            let saved = Array(data[word..<(word + 32)])
            data.replaceSubrange(word..<(word + 32), with: data[other..<(other + 32)])
            data.replaceSubrange(other..<(other + 32), with: saved)
        case 4:
            data.insert(contentsOf: data[word..<(word + 32)], at: Int.random(in: 0...words, using: &generator) * 32)
        default:
            data = bytes.mutate(data)
        }
    }

    /// Values that land on or just past the edges of the input, or overflow arithmetic on them.
    private mutating func boundaryValue(count: Int) -> UInt256 {
        let small: [UInt64] = [
            0, 1, 2, 31, 32, 33, 64, 96, UInt64(count), UInt64(count) &- 32, UInt64(count) + 32,
            1 << 32, .max, UInt64(count / 2) & ~31
        ]
        switch Int.random(in: 0..<4, using: &generator) {
        case 0: return .max
        case 1: return UInt256(1).shiftedLeft(by: Int.random(in: 64...255, using: &generator))
        default: return UInt256(small.randomElement(using: &generator) ?? 0)
        }
    }
}

/// Structural mutations of typed-data documents: a value somewhere replaced by one of the wrong kind,
/// out of range, malformed hex, or a missing member.
enum JSONMutator {
    static let replacements: [ExactJSON] = [
        .null, .bool(true), .number("-1"), .number("0"), .number("1.5"), .number("1e400"),
        .number("115792089237316195423570985008687907853269984665640564039457584007913129639936"),
        .string(""), .string("0x"), .string("0xzz"), .string("0x123"), .string("-0x5"), .string("Mail[]"),
        .string("uint256[99999999]"), .string(String(repeating: "ab", count: 40)), .array([]), .object([:]),
        .array([.null, .number("7")]), .object(["name": .string("x"), "type": .string("Unknown")])
    ]

    static func mutate(_ value: ExactJSON, using generator: inout SplitMix64) -> ExactJSON {
        switch value {
        case .object(var members) where !members.isEmpty && Int.random(in: 0..<4, using: &generator) > 0:
            let keys = members.keys.sorted()
            guard let key = keys.randomElement(using: &generator), let member = members[key] else { return value }
            if Int.random(in: 0..<8, using: &generator) == 0 {
                members[key] = nil
            } else {
                members[key] = mutate(member, using: &generator)
            }
            return .object(members)
        case .array(var elements) where !elements.isEmpty && Int.random(in: 0..<4, using: &generator) > 0:
            let index = Int.random(in: 0..<elements.count, using: &generator)
            elements[index] = mutate(elements[index], using: &generator)
            return .array(elements)
        default:
            return replacements.randomElement(using: &generator) ?? .null
        }
    }
}

extension ExactJSON {
    /// Compact JSON text (test-side writer, so the reader's output can be fed back to it).
    var serialized: String {
        switch self {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .number(let text): text
        case .string(let text): Self.quoted(text)
        case .array(let elements): "[" + elements.map(\.serialized).joined(separator: ",") + "]"
        case .object(let members):
            "{" + members.keys.sorted().map { Self.quoted($0) + ":" + (members[$0]?.serialized ?? "null") }.joined(separator: ",") + "}"
        }
    }

    private static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\u{00}"..."\u{1F}": result += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
