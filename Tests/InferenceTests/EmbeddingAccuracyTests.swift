import Testing
@testable import Inference

struct EmbeddingFixture: Decodable {
    struct Case: Decodable {
        let text: String
        let ids: [Int32]
        let embedding: [Double]
        let quantized: [Int]
    }
    let scale: Int
    let cases: [Case]
}

struct SimilarityFixture: Decodable {
    struct Case: Decodable {
        let text: String
        let text2: String
        let score: Int
    }
    let cases: [Case]
}

/// The Swift float32 engine against the independent float64 numpy reference (fixtures/inference).
@Suite struct EmbeddingAccuracyTests {
    @Test func embeddingsMatchTheFloat64ReferenceWithCosineAboveFourNines() throws {
        let fixture = try TestModel.fixture("embeddings.json", as: EmbeddingFixture.self)
        #expect(fixture.cases.count >= 50)
        let vectors = TestModel.engine.embeddings(fixture.cases.map(\.text))
        for (testCase, vector) in zip(fixture.cases, vectors) {
            #expect(TestModel.engine.tokenizer.encode(testCase.text) == testCase.ids)
            let cosine = zip(vector, testCase.embedding).reduce(0.0) { $0 + $1.0 * $1.1 }
            #expect(cosine >= 0.9999, "cosine \(cosine) for fixture sentence \(testCase.ids.count) tokens long")
        }
    }

    @Test func quantizedEmbeddingsDifferFromTheReferenceByAtMostOneUnit() throws {
        let fixture = try TestModel.fixture("embeddings.json", as: EmbeddingFixture.self)
        #expect(fixture.scale == Int(OutputScales.embedding))
        var differingValues = 0
        for testCase in fixture.cases {
            guard case .embedding(let values) = try TestModel.engine.run(.embed(text: testCase.text)) else {
                Issue.record("embed returned another output kind")
                continue
            }
            #expect(values.count == 384)
            for (value, expected) in zip(values, testCase.quantized) {
                #expect(abs(Int(value) - expected) <= 1)
                if Int(value) != expected { differingValues += 1 }
            }
        }
        #expect(differingValues < fixture.cases.count * 384 / 100, "more than 1% of int8 values off by one")
    }

    @Test func similarityScoresMatchTheReference() throws {
        let fixture = try TestModel.fixture("similarity.json", as: SimilarityFixture.self)
        for testCase in fixture.cases {
            guard case .similarity(let score) = try TestModel.engine.run(.similarity(text: testCase.text, other: testCase.text2)) else {
                Issue.record("similarity returned another output kind")
                continue
            }
            #expect(abs(score - testCase.score) <= 2, "score \(score) vs reference \(testCase.score)")
        }
    }
}
