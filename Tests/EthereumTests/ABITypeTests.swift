import Testing
import Ethereum

@Suite struct ABITypeTests {
    @Test(arguments: [
        "uint256", "int8", "address", "bool", "bytes1", "bytes32", "bytes", "string", "uint256[]", "bytes32[2][]",
        "(uint256,bytes32[],(address,string)[3])", "((bool))[]", "int248[7]"
    ])
    func canonicalStringsRoundTrip(_ text: String) throws {
        #expect(try ABIType(parsing: text).description == text)
    }

    @Test func aliasesBecomeCanonical() throws {
        #expect(try ABIType(parsing: "uint") == .uint(bits: 256))
        #expect(try ABIType(parsing: "(int,uint[])").description == "(int256,uint256[])")
    }

    @Test(arguments: [
        "", "uint7", "uint264", "uint0", "uint08", "int512", "bytes0", "bytes33", "bytes01", "()", "uint256[0]",
        "uint256[01]", "(uint256", "uint256]", "uint256[", "(uint256,)", "(,uint256)", "address payable", "fixed128x18",
        "string[-1]", "uint256[1a]", "tuple", " uint256", "uint256 ", "uint256[99999999999]"
    ])
    func malformedStringsAreRejected(_ text: String) {
        #expect(throws: ABIError.self) { try ABIType(parsing: text) }
    }

    @Test func nestingIsBounded() {
        let deepArray = "uint256" + String(repeating: "[]", count: 40)
        #expect(throws: ABIError.typeNestingTooDeep) { try ABIType(parsing: deepArray) }
        let deepTuple = String(repeating: "(", count: 40) + "bool" + String(repeating: ")", count: 40)
        #expect(throws: ABIError.typeNestingTooDeep) { try ABIType(parsing: deepTuple) }
    }

    @Test func dynamismAndHeadSizes() throws {
        #expect(try ABIType(parsing: "(uint256,bytes32[2])[3]").headSize == 3 * 96)
        #expect(try ABIType(parsing: "(uint256,bytes32[2])[3]").isDynamic == false)
        #expect(try ABIType(parsing: "(uint256,string)[3]").isDynamic)
        #expect(try ABIType(parsing: "(uint256,string)[3]").headSize == 32)
    }
}
