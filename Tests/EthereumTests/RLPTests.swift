import Testing
import Ethereum

@Suite struct RLPTests {
    /// An item as the fixtures write it: a `0x…` string for bytes, a JSON array for a list.
    enum JSONItem: Decodable {
        case bytes(String)
        case list([JSONItem])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self = .bytes(text)
            } else {
                self = .list(try container.decode([JSONItem].self))
            }
        }

        func item() throws -> RLPItem {
            switch self {
            case .bytes(let text): .bytes(try Hex.decode(text))
            case .list(let children): .list(try children.map { try $0.item() })
            }
        }
    }

    struct Vectors: Decodable {
        struct Valid: Decodable { let hex: String; let item: JSONItem }
        struct Invalid: Decodable { let hex: String; let reason: String }
        struct Mutated: Decodable { let hex: String; let pyrlpAccepts: Bool; let item: JSONItem? }
        let maximumDepth: Int
        let valid: [Valid]
        let invalid: [Invalid]
        let mutated: [Mutated]
    }

    static let vectors = Result { try Fixtures.load(Vectors.self, "ethereum/rlp.json") }

    /// The name of the error case, as the generator writes it.
    static func reason(_ error: RLPError) -> String {
        switch error {
        case .empty: "empty"
        case .truncated: "truncated"
        case .trailingBytes: "trailingBytes"
        case .nonCanonicalSingleByte: "nonCanonicalSingleByte"
        case .nonMinimalLength: "nonMinimalLength"
        case .leadingZeroInLength: "leadingZeroInLength"
        case .lengthTooLarge: "lengthTooLarge"
        case .nestingTooDeep: "nestingTooDeep"
        case .expectedBytes: "expectedBytes"
        case .expectedList: "expectedList"
        case .wrongItemCount: "wrongItemCount"
        case .leadingZeroInInteger: "leadingZeroInInteger"
        case .integerTooLarge: "integerTooLarge"
        case .wrongLength: "wrongLength"
        }
    }

    @Test func encodesAndDecodesLikePyrlp() throws {
        let vectors = try Self.vectors.get()
        #expect(vectors.valid.count > 200)
        for vector in vectors.valid {
            let bytes = try Hex.decode(vector.hex)
            let expected = try vector.item.item()
            #expect(expected.encoded == bytes, "encode \(vector.hex.prefix(40))")
            #expect(expected.encodedCount == bytes.count)
            #expect(try RLP.decode(bytes) == expected, "decode \(vector.hex.prefix(40))")
        }
    }

    @Test func rejectsNonCanonicalInputWithTheRightReason() throws {
        let vectors = try Self.vectors.get()
        #expect(vectors.maximumDepth == RLP.maximumDepth)
        for vector in vectors.invalid {
            let bytes = try Hex.decode(vector.hex)
            do {
                _ = try RLP.decode(bytes)
                Issue.record("accepted \(vector.hex.prefix(40))")
            } catch {
                #expect(Self.reason(error) == vector.reason, "\(vector.hex.prefix(40))")
            }
        }
    }

    /// Mutated encodings: we accept exactly what pyrlp's strict decoder accepts, with the same items.
    @Test func agreesWithPyrlpOnMutatedInput() throws {
        let vectors = try Self.vectors.get()
        #expect(vectors.mutated.filter(\.pyrlpAccepts).count > 50)
        #expect(vectors.mutated.filter { !$0.pyrlpAccepts }.count > 50)
        for vector in vectors.mutated {
            let decoded = try? RLP.decode(Hex.decode(vector.hex))
            #expect((decoded != nil) == vector.pyrlpAccepts, "\(vector.hex.prefix(60))")
            if let decoded, let expected = try vector.item?.item() {
                #expect(decoded == expected)
            }
        }
    }

    @Test func nestingCapIsExact() throws {
        func nested(_ depth: Int) -> RLPItem {
            (1..<depth).reduce(RLPItem.list([])) { inner, _ in .list([inner]) }
        }
        let deepest = nested(RLP.maximumDepth)
        #expect(try RLP.decode(deepest.encoded) == deepest)
        #expect(throws: RLPError.nestingTooDeep(limit: RLP.maximumDepth)) { try RLP.decode(nested(RLP.maximumDepth + 1).encoded) }
        // A header claiming an enormous nesting of lists stops at the cap, not at the stack's end.
        #expect(throws: RLPError.self) { try RLP.decode([UInt8](repeating: 0xC1, count: 100_000)) }
    }

    @Test func integersAreMinimalBigEndian() throws {
        #expect(RLPItem(UInt64(0)).encoded == [0x80])
        #expect(RLPItem(UInt64(0x7F)).encoded == [0x7F])
        #expect(RLPItem(UInt64(0x80)).encoded == [0x81, 0x80])
        #expect(RLPItem(UInt64(0x0400)).encoded == [0x82, 0x04, 0x00])
        #expect(RLPItem(UInt64.max).encoded == [0x88] + [UInt8](repeating: 0xFF, count: 8))
        #expect(RLPItem(UInt256.max).encoded == [0xA0] + [UInt8](repeating: 0xFF, count: 32))
        for value: UInt64 in [0, 1, 0x7F, 0x80, 0xFF, 0x100, 1 << 56, .max] {
            #expect(try RLP.decode(RLPItem(value).encoded).uint64Value() == value)
            #expect(try RLP.decode(RLPItem(UInt256(value)).encoded).uint256Value() == UInt256(value))
        }
    }

    @Test func integerReadersRejectNonCanonicalOrWideValues() {
        #expect(throws: RLPError.leadingZeroInInteger) { try RLPItem.bytes([0x00]).uint64Value() }
        #expect(throws: RLPError.leadingZeroInInteger) { try RLPItem.bytes([0x00, 0x01]).uint256Value() }
        #expect(throws: RLPError.integerTooLarge(maximumBytes: 8)) { try RLPItem.bytes([UInt8](repeating: 1, count: 9)).uint64Value() }
        #expect(throws: RLPError.integerTooLarge(maximumBytes: 32)) { try RLPItem.bytes([UInt8](repeating: 1, count: 33)).uint256Value() }
        #expect(throws: RLPError.expectedBytes) { try RLPItem.list([]).uint64Value() }
        #expect(throws: RLPError.expectedList) { try RLPItem.bytes([]).listValue() }
        #expect(throws: RLPError.wrongItemCount(expected: 2, actual: 1)) { try RLPItem.list([.bytes([])]).listValue(count: 2) }
        #expect(throws: RLPError.wrongLength(expected: 20, actual: 19)) { try RLPItem.bytes([UInt8](repeating: 1, count: 19)).addressValue() }
        #expect(throws: RLPError.wrongLength(expected: 32, actual: 31)) { try RLPItem.bytes([UInt8](repeating: 1, count: 31)).bytes32Value() }
    }
}
