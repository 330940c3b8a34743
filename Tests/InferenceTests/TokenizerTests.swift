import Testing
@testable import Inference

struct TokenizerFixture: Decodable {
    struct Case: Decodable {
        let text: String
        let ids: [Int32]
    }
    let cases: [Case]
}

@Suite struct TokenizerTests {
    @Test func idsMatchHuggingFaceTokenizersOnFixtureStrings() throws {
        let fixture = try TestModel.fixture("tokenizer.json", as: TokenizerFixture.self)
        #expect(fixture.cases.count >= 1000)
        var mismatches = 0
        for testCase in fixture.cases {
            let ids = TestModel.engine.tokenizer.encode(testCase.text)
            if ids != testCase.ids {
                mismatches += 1
                if mismatches <= 10 {
                    Issue.record("ids differ for \(testCase.text.unicodeScalars.map { String($0.value, radix: 16) }): \(ids) vs \(testCase.ids)")
                }
            }
        }
        #expect(mismatches == 0)
    }

    @Test func truncatesToTheModelLimitKeepingClassifierAndSeparator() {
        let ids = TestModel.engine.tokenizer.encode(String(repeating: "hello world ", count: 400))
        #expect(ids.count == BertTokenizer.maxTokens)
        #expect(ids.first == 101 && ids.last == 102)
    }
}
