import TestSupport
import Testing
import Ethereum

/// Hostile input for the ABI decoder and the EIP-712 document reader: mutations of the eth-abi and
/// eth-account fixtures aimed at offsets, lengths and padding, plus random bytes. Each must return a
/// value or a typed error, never crash or hang. Seeded: a failure names its seed and case.
@Suite(.timeLimit(.minutes(2))) struct FuzzABITests {
    static let abiIterations = 60_000
    static let typedDataIterations = 8_000

    @Test func abiDecoderSurvivesMutations() throws {
        let cases = try ABIFixtureTests.loadCases().filter { !$0.1.isEmpty }
        let seeds = try cases.map { (types: $0.1, encoding: try Hex.decode($0.0.encoding)) }
        var mutator = ABIMutator(seed: 0xAB1_0001)
        var accepted = 0
        for index in 0..<Self.abiIterations {
            let seed = seeds[index % seeds.count]
            let input = index % 10 == 9 ? mutator.bytes.randomBytes(maxCount: 256) : mutator.mutate(seed.encoding)
            do {
                let values = try ABI.decode(seed.types, from: input)
                accepted += 1
                // Whatever is accepted is well-typed and survives a canonical re-encoding.
                let reencoded = try ABI.encode(values, as: seed.types)
                #expect(try ABI.decode(seed.types, from: reencoded) == values, "seed 0xAB10001 case \(index)")
            } catch {
                // A typed ABIError is the expected outcome for most mutations.
            }
        }
        #expect(accepted > 1000)
        #expect(accepted < Self.abiIterations / 2)
    }

    @Test func randomTypesOnRandomBytes() {
        var generator = SplitMix64(seed: 0xAB1_0002)
        let pool = [
            "uint8", "int16", "address", "bool", "bytes3", "bytes", "string", "uint256[]", "(bool,bytes)[2]",
            "(uint256,string[])[]", "bytes32[3][]", "((int8,bytes)[],address)"
        ].compactMap { try? ABIType(parsing: $0) }
        var mutator = FuzzMutator(generator: SplitMix64(seed: 0xAB1_0003))
        for _ in 0..<10_000 {
            let types = (0..<Int.random(in: 1...3, using: &generator)).compactMap { _ in pool.randomElement(using: &generator) }
            // Random words drawn mostly from small numbers, so offsets and lengths often land in range.
            let words = (0..<Int.random(in: 0...12, using: &generator)).flatMap { _ in
                UInt256(UInt64.random(in: 0...(Bool.random(using: &generator) ? 200 : .max), using: &generator)).bytes32.bytes
            }
            _ = try? ABI.decode(types, from: Bool.random(using: &generator) ? words : mutator.mutate(words))
        }
    }

    @Test func typedDataReaderSurvivesMutations() throws {
        guard case .array(let vectors)? = try EIP712FixtureTests.load("ethereum/eip712/random.json")["cases"] else {
            Issue.record("no cases")
            return
        }
        let documents = vectors.compactMap { $0["document"] }
        var generator = SplitMix64(seed: 0xE1_0712)
        var bytes = FuzzMutator(generator: SplitMix64(seed: 0xE1_0713))
        var hashed = 0
        for index in 0..<Self.typedDataIterations {
            let document = documents[index % documents.count]
            let text: [UInt8] =
                index % 2 == 0
                ? bytes.mutate(Array(document.serialized.utf8))
                : Array(JSONMutator.mutate(document, using: &generator).serialized.utf8)
            if (try? TypedData(json: text)) != nil { hashed += 1 }
        }
        #expect(hashed > 100)
    }

    @Test func deepAndRecursiveDocumentsAreBounded() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect { try ExactJSON(parsing: Array(deep.utf8)) } throws: { ($0 as? JSONParseError)?.reason == .nestingTooDeep }
        // A struct type that contains itself: fine while the value ends, and bounded by JSON nesting.
        func document(depth: Int) -> [UInt8] {
            var node = #"{"label": "leaf", "children": []}"#
            for level in 0..<depth { node = #"{"label": "n\#(level)", "children": [\#(node)]}"# }
            return Array(
                (#"{"types": {"Node": [{"name": "label", "type": "string"}, {"name": "children", "type": "Node[]"}]},"#
                    + #""primaryType": "Node", "domain": {"chainId": 1}, "message": \#(node)}"#).utf8)
        }
        #expect(try TypedData(json: document(depth: 25)).types.encodeType("Node") == "Node(string label,Node[] children)")
        #expect(throws: EIP712Error.self) { try TypedData(json: document(depth: 40)) }
    }
}
