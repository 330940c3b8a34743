import Testing
import Ethereum

/// The strict JSON reader under typed data.
@Suite struct EIP712JSONTests {
    @Test func readsValuesExactly() throws {
        let text =
            #"{"big": 115792089237316195423570985008687907853269984665640564039457584007913129639935, "neg": -0.5e-3,"#
            + #" "s": "a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude42", "list": [true, false, null, []], "empty": {}}"#
        let value = try ExactJSON(parsing: Array(text.utf8))
        #expect(value["big"] == .number("115792089237316195423570985008687907853269984665640564039457584007913129639935"))
        #expect(value["neg"] == .number("-0.5e-3"))
        #expect(value["s"] == .string("a\"\\/\u{08}\u{0C}\n\r\té🙂"))
        #expect(value["list"] == .array([.bool(true), .bool(false), .null, .array([])]))
        #expect(value["empty"] == .object([:]))
    }

    @Test(arguments: [
        ("", JSONParseError.Reason.unexpectedEnd), ("hunter2", .unexpectedCharacter), ("01", .trailingCharacters),
        ("1.", .invalidNumber), ("-", .invalidNumber), ("[1,]", .unexpectedCharacter), ("{\"a\":1,\"a\":2}", .duplicateKey),
        ("\"\\x\"", .invalidEscape), ("\"\\ud800\"", .unexpectedCharacter), ("\"\\udc00\"", .invalidEscape),
        ("\"a\u{01}\"", .unexpectedCharacter), ("[] []", .trailingCharacters), ("{\"a\" 1}", .unexpectedCharacter),
        ("tru", .unexpectedEnd), ("\"\\u12\"", .invalidEscape)
    ])
    func rejectsMalformedText(_ text: String, _ reason: JSONParseError.Reason) {
        #expect { try ExactJSON(parsing: Array(text.utf8)) } throws: { ($0 as? JSONParseError)?.reason == reason }
    }

    @Test func rejectsInvalidUTF8() {
        #expect { try ExactJSON(parsing: [0x22, 0xC3, 0x28, 0x22]) } throws: { ($0 as? JSONParseError)?.reason == .invalidUTF8 }
    }
}
