import Testing
@testable import Inference

/// Same input, same bits: repeated runs, 1/2/4 threads, alone or inside batches of other lengths.
@Suite struct DeterminismTests {
    static let texts = [
        "A man is eating food.",
        "Confidential computing protects data in use with hardware-based trusted execution environments.",
        "a",
        "北京是中国的首都。 naïve café 😀",
        String(repeating: "Long input is truncated at the model limit. ", count: 40),
    ]

    @Test func aTextAloneAndInsideBatchesOfOtherLengthsGivesIdenticalBits() {
        let engine = TestModel.engine
        let alone = Self.texts.map { engine.embeddings([$0])[0] }
        let together = engine.embeddings(Self.texts)
        let reversed = engine.embeddings(Self.texts.reversed())
        let padded = engine.embeddings(["x"] + Self.texts + [Self.texts[4], "y z"])
        #expect(together == alone)
        #expect(reversed == alone.reversed())
        #expect(Array(padded[1...Self.texts.count]) == alone)
    }

    @Test(arguments: [2, 4])
    func threadCountDoesNotChangeBits(threads: Int) throws {
        let single = TestModel.engine.embeddings(Self.texts)
        let parallel = try EmbeddedEngine(files: TestModel.files, threads: threads)
        #expect(parallel.embeddings(Self.texts) == single)
        #expect(parallel.embeddings([Self.texts[1]])[0] == single[1])
    }

    @Test func repeatedRunsGiveIdenticalOutputBytes() throws {
        let input = TaskInput.classify(text: Self.texts[1], labels: ["security", "cooking", "sports"])
        let first = try TestModel.engine.run(input)
        for _ in 0..<3 { #expect(try TestModel.engine.run(input).abiEncoded == first.abiEncoded) }
    }
}
