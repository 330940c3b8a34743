import Testing
import Ethereum

@Suite struct ABIFunctionTests {
    @Test func wellKnownSelectors() throws {
        #expect(try Hex.encode(ABIFunction(signature: "transfer(address,uint256)").selector) == "0xa9059cbb")
        #expect(try Hex.encode(ABIFunction(signature: "transfer(address to, uint256 amount)").selector) == "0xa9059cbb")
        #expect(try Hex.encode(ABIFunction(signature: "balanceOf(address)").selector) == "0x70a08231")
        #expect(try ABIFunction(signature: "f(uint, (int,bytes)[] list)").canonicalSignature == "f(uint256,(int256,bytes)[])")
    }

    @Test(arguments: ["(uint256)", "f", "f(uint256", "9f()", "f g(uint256)", "f(uint256) x", "f(uint256 a b c d,)"])
    func malformedSignaturesAreRejected(_ signature: String) {
        #expect(throws: ABIError.self) { try ABIFunction(signature: signature) }
    }

    @Test func callsAreCheckedAgainstTheInputs() throws {
        let function = try ABIFunction(signature: "set(uint8,bytes4)")
        #expect(throws: ABIError.valueMismatch(expected: .uint(bits: 8))) { try function.encodeCall([.uint(256), .fixedBytes([1, 2, 3, 4])]) }
        #expect(throws: ABIError.valueMismatch(expected: .fixedBytes(4))) { try function.encodeCall([.uint(1), .fixedBytes([1, 2, 3])]) }
        #expect(throws: ABIError.countMismatch(expected: 2, actual: 1)) { try function.encodeCall([.uint(1)]) }
        #expect(throws: ABIError.selectorMismatch) { try function.decodeCall([0, 0, 0]) }
        #expect(throws: ABIError.selectorMismatch) { try function.decodeCall([0, 0, 0, 0] + ABI.encode([.uint(1), .fixedBytes([1, 2, 3, 4])])) }
    }

    /// The two outputs the inference engine encodes.
    @Test func inferenceOutputsRoundTrip() throws {
        let embedding = (0..<384).map { ABIValue.int(Int256(Int64($0 % 256) - 128)) }
        let embedType = ABIType.fixedArray(.int(bits: 8), 384)
        let encoded = try ABI.encode([.fixedArray(embedding)], as: [embedType])
        #expect(encoded.count == 384 * 32)
        #expect(try ABI.decode([embedType], from: encoded) == [.fixedArray(embedding)])

        let classifyTypes = [ABIType.uint(bits: 256), .array(.int(bits: 256))]
        let scores: [ABIValue] = [.int(-3), .int(0), .int(Int256.max), .int(Int256.min)]
        let classification = try ABI.encode([.uint(2), .array(scores)], as: classifyTypes)
        #expect(try ABI.decode(classifyTypes, from: classification) == [.uint(2), .array(scores)])
    }

    struct Fulfil: ABICodable, Equatable {
        static let abiTypes: [ABIType] = [.fixedBytes(32), .bytes, .address]
        var requestID: Bytes32
        var output: [UInt8]
        var recipient: Address

        init(requestID: Bytes32, output: [UInt8], recipient: Address) {
            self.requestID = requestID
            self.output = output
            self.recipient = recipient
        }

        init(abiValues values: [ABIValue]) throws(ABIError) {
            guard values.count == 3 else { throw .countMismatch(expected: 3, actual: values.count) }
            self.init(requestID: try values[0].asBytes32(), output: try values[1].asBytes(), recipient: try values[2].asAddress())
        }

        var abiValues: [ABIValue] { [.bytes32(requestID), .bytes(output), .address(recipient)] }
    }

    @Test func swiftTypesEncodeAsCalls() throws {
        let function = try ABIFunction(signature: "fulfil(bytes32,bytes,address)", returns: "(bytes32,bytes,address)")
        let call = Fulfil(requestID: Keccak256.hash([1]), output: Array("out".utf8), recipient: .zero)
        let calldata = try function.encodeCall(call)
        #expect(Array(calldata.prefix(4)) == function.selector)
        #expect(try Fulfil(abiValues: function.decodeCall(calldata)) == call)
        #expect(try function.decodeResult(calldata.dropFirst(4), as: Fulfil.self) == call)
        #expect(try ABI.decode(Fulfil.self, from: ABI.encode(call)) == call)
        #expect(throws: ABIError.unexpectedKind(expected: "bytes32")) { try Fulfil(abiValues: [.uint(1), .bytes([]), .address(.zero)]) }
    }
}
