import Testing
@testable import Inference

/// Same input, same bits: repeated runs, 1/2/4 threads, alone or inside batches of other lengths.
@Suite struct DeterminismTests {
    static let texts = [
        "A man is eating food.",
        "Confidential computing protects data in use with hardware-based trusted execution environments.",
        "a",
        "北京是中国的首都。 naïve café 😀",
        String(repeating: "Long input is truncated at the model limit. ", count: 40)
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

    /// Batch 1 is how requests arrive when traffic is light: its threads split the one sentence's
    /// rows, attention heads and layer outputs, and must still give the bits of a batch of 32.
    @Test func batchOneIsBitIdenticalAtOneTwoAndFourThreadsAndEqualsTheBatchOf32() throws {
        let subjects = ["The committee", "A small robot", "My neighbour's cat", "Our research team"]
        let endings = ["", " near the harbour after a long and difficult meeting", " because nobody else would."]
        let texts = Self.texts + (0..<27).map { subjects[$0 % 4] + " met \($0) times" + endings[$0 % 3] }
        #expect(texts.count == 32)
        let batch = TestModel.engine.embeddings(texts)
        var engines = [TestModel.engine]
        for threads in [2, 4] { engines.append(try EmbeddedEngine(files: TestModel.files, threads: threads)) }
        for (index, text) in texts.enumerated() where index % 3 == 0 || index < Self.texts.count {
            for engine in engines {
                #expect(engine.embeddings([text])[0] == batch[index], "\(text) with \(engine.runner.threads) threads")
            }
        }
    }

    @Test func repeatedRunsGiveIdenticalOutputBytes() throws {
        let input = TaskInput.classify(text: Self.texts[1], labels: ["security", "cooking", "sports"])
        let first = try TestModel.engine.run(input)
        for _ in 0..<3 { #expect(try TestModel.engine.run(input).abiEncoded == first.abiEncoded) }
    }
}
