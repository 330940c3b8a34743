import Foundation
import Testing
import Ethereum

/// Round trips against eth-abi (scripts/gen_abi_vectors.py → fixtures/ethereum/abi.json).
@Suite struct ABIFixtureTests {
    struct Vectors: Decodable {
        struct Case: Decodable {
            let types: [String]
            let encoding: String
            let signature: String
            let selector: String
            let packed: String?
        }
        let cases: [Case]
    }

    /// The vectors with their parsed types and values, read once for all tests.
    static let loaded = Result { try readCases() }

    static func loadCases() throws -> [(Vectors.Case, [ABIType], [ABIValue])] {
        try loaded.get()
    }

    private static func readCases() throws -> [(Vectors.Case, [ABIType], [ABIValue])] {
        let vectors = try Fixtures.load(Vectors.self, "ethereum/abi.json")
        let raw = try JSONSerialization.jsonObject(with: Data(contentsOf: Fixtures.root.appendingPathComponent("ethereum/abi.json")))
        let rawCases = try #require((raw as? [String: Any])?["cases"] as? [[String: Any]])
        return try zip(vectors.cases, rawCases).map { vector, rawCase in
            let types = try vector.types.map { try ABIType(parsing: $0) }
            let jsonValues = try #require(rawCase["values"] as? [Any])
            let values = try zip(jsonValues, types).map { try ABIJSON.value($0, as: $1) }
            return (vector, types, values)
        }
    }

    @Test func encodingsMatchEthABI() throws {
        let cases = try Self.loadCases()
        #expect(cases.count >= 300)
        for (vector, types, values) in cases {
            #expect(try Hex.encode(ABI.encode(values, as: types)) == vector.encoding, "\(vector.types)")
        }
    }

    @Test func decodingsMatchEthABI() throws {
        for (vector, types, values) in try Self.loadCases() {
            #expect(try ABI.decode(types, from: Hex.decode(vector.encoding)) == values, "\(vector.types)")
        }
    }

    @Test func typeStringsAreCanonical() throws {
        for (vector, types, _) in try Self.loadCases() {
            #expect(types.map(\.description) == vector.types)
        }
    }

    @Test func packedEncodingsMatchEthABI() throws {
        var checked = 0
        for (vector, types, values) in try Self.loadCases() {
            guard let packed = vector.packed else { continue }
            #expect(try Hex.encode(ABI.encodePacked(values, as: types)) == packed, "\(vector.types)")
            checked += 1
        }
        #expect(checked >= 50)
    }

    /// Solidity pads each array element to 32 bytes in `abi.encodePacked` (eth-abi does not, so the
    /// vectors only cover elementary types).
    @Test func packedArraysPadEachElement() throws {
        let packed = try ABI.encodePacked([.uint(1), .array([.bool(true), .bool(false)])], as: [.uint(bits: 16), .array(.bool)])
        #expect(packed == [0, 1] + UInt256(1).bytes32.bytes + UInt256(0).bytes32.bytes)
    }

    @Test func packedRejectsWhatSolidityCannotPack() {
        #expect(throws: ABIError.unsupportedPackedType(.tuple([.bool]))) { try ABI.encodePacked([.tuple([.bool(true)])], as: [.tuple([.bool])]) }
        #expect(throws: ABIError.unsupportedPackedType(.array(.string))) { try ABI.encodePacked([.array([])], as: [.array(.string)]) }
    }

    @Test func selectorsMatchEthUtils() throws {
        for (vector, types, values) in try Self.loadCases() {
            let function = try ABIFunction(signature: vector.signature)
            #expect(function.inputs == types)
            #expect(Hex.encode(function.selector) == vector.selector, "\(vector.signature)")
            let calldata = try function.encodeCall(values)
            #expect(Hex.encode(calldata) == vector.selector + vector.encoding.dropFirst(2))
            #expect(try function.decodeCall(calldata) == values)
        }
    }
}

/// Reads the JSON form of values in the fixtures: numbers as decimal strings, bytes as hex, lists for
/// arrays and tuples.
enum ABIJSON {
    struct Malformed: Error { let type: ABIType }

    static func value(_ json: Any, as type: ABIType) throws -> ABIValue {
        switch type {
        case .uint: return .uint(try UInt256(parsing: try cast(json, String.self, type)))
        case .int: return .int(try Int256(parsing: try cast(json, String.self, type)))
        case .address: return .address(try Address(hex: try cast(json, String.self, type)))
        case .bool: return .bool(try cast(json, Bool.self, type))
        case .fixedBytes: return .fixedBytes(try Hex.decode(try cast(json, String.self, type)))
        case .bytes: return .bytes(try Hex.decode(try cast(json, String.self, type)))
        case .string: return .string(try cast(json, String.self, type))
        case .array(let element): return .array(try cast(json, [Any].self, type).map { try value($0, as: element) })
        case .fixedArray(let element, _): return .fixedArray(try cast(json, [Any].self, type).map { try value($0, as: element) })
        case .tuple(let components):
            return .tuple(try zip(cast(json, [Any].self, type), components).map { try value($0, as: $1) })
        }
    }

    private static func cast<T>(_ json: Any, _: T.Type, _ type: ABIType) throws -> T {
        guard let value = json as? T else { throw Malformed(type: type) }
        return value
    }
}
