import TestSupport
import Testing
@testable import CloisterConfiguration

@Suite struct TOMLParserTests {
    @Test func parsesTheSupportedSubset() throws {
        let document = try TOMLParser.parse(
            """
            # comment
            title = "Cloister"   # trailing comment
            literal = 'C:\\path\\no escapes'
            escaped = "tab\\there \\u00e9"
            count = 1_000
            hex = 0xff
            negative = -42
            ratio = 0.25
            on = true
            list = [
              "a",
              "b", # a comment inside
            ]
            dotted.key = 7

            [chain]
            rpc = ["http://127.0.0.1:8545"]

            [chain.limits]
            "quoted key" = false
            """)
        #expect(document["title"] == .string("Cloister"))
        #expect(document["literal"] == .string("C:\\path\\no escapes"))
        #expect(document["escaped"] == .string("tab\there é"))
        #expect(document["count"] == .integer(1000))
        #expect(document["hex"] == .integer(255))
        #expect(document["negative"] == .integer(-42))
        #expect(document["ratio"] == .float(0.25))
        #expect(document["on"] == .bool(true))
        #expect(document["list"] == .array([.string("a"), .string("b")]))
        #expect(document["dotted"] == .table(["key": .integer(7)]))
        #expect(
            document["chain"]
                == .table([
                    "rpc": .array([.string("http://127.0.0.1:8545")]),
                    "limits": .table(["quoted key": .bool(false)])
                ]))
    }

    @Test(arguments: [
        ("a = 1\na = 2", 2, "defined twice"),
        ("[t]\n[t]", 2, "defined twice"),
        ("a = {x = 1}", 1, "inline tables"),
        ("[[servers]]", 1, "arrays of tables"),
        ("a = \"open", 1, "unterminated"),
        ("a = 01", 1, "leading zeros"),
        ("a = yes", 1, "not a number"),
        ("a = 1 b = 2", 1, "after the value"),
        ("a = [1, 2", 1, "expected ',' or ']'"),
        ("\n\na = \"\\q\"", 3, "unknown escape"),
        ("a = 1\n[a]", 2, "already a integer"),
        ("= 1", 1, "expected a key")
    ])
    func rejectsWithLineAndReason(text: String, line: Int, fragment: String) {
        #expect {
            try TOMLParser.parse(text)
        } throws: { error in
            guard let error = error as? TOMLError else { return false }
            return error.line == line && error.message.contains(fragment)
        }
    }

    /// Arbitrary bytes never crash the parser.
    @Test func hostileTextGivesErrorsNotCrashes() {
        var generator = SplitMix64(seed: 7)
        let alphabet = Array("ab=[]{}\"'\\#.,\n \t0x1_-+eE.truefalse\u{00e9}")
        for _ in 0..<20_000 {
            let length = Int(generator.next() % 40)
            let text = String((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
            _ = try? TOMLParser.parse(text)
        }
    }
}
