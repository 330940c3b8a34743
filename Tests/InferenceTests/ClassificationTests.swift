import Testing
@testable import Inference

struct ClassificationFixture: Decodable {
    struct Case: Decodable {
        let text: String
        let labels: [String]
        let expected: Int
        let best: Int
        let scores: [Int]
    }
    let cases: [Case]
}

/// Zero-shot classification against the float64 reference's decisions on a labelled set.
@Suite struct ClassificationTests {
    @Test func bestLabelAgreesWithTheReferenceOnEveryLabelledExample() throws {
        let fixture = try TestModel.fixture("classification.json", as: ClassificationFixture.self)
        #expect(fixture.cases.count >= 50)
        var correct = 0
        for testCase in fixture.cases {
            guard
                case .classification(let best, let scores) = try TestModel.engine.run(
                    .classify(text: testCase.text, labels: testCase.labels))
            else {
                Issue.record("classify returned another output kind")
                continue
            }
            #expect(best == testCase.best, "best label \(best) vs reference \(testCase.best)")
            for (score, expected) in zip(scores, testCase.scores) { #expect(abs(score - expected) <= 2) }
            if best == testCase.expected { correct += 1 }
        }
        // The model's zero-shot accuracy on this set, which the reference also reaches (51 of 55).
        #expect(correct * 10 >= fixture.cases.count * 9)
    }

    @Test func ties_goToTheFirstLabel() throws {
        guard
            case .classification(let best, let scores) = try TestModel.engine.run(
                .classify(text: "weather report", labels: ["sports", "weather", "Weather"]))
        else {
            Issue.record("classify returned another output kind")
            return
        }
        #expect(scores[1] == scores[2])  // lower-casing makes the labels' tokens identical
        #expect(best == 1)
    }
}
