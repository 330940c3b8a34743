/// Sentences per second and milliseconds per sentence of one engine at one batch size and thread count.
package struct ThroughputResult: Sendable, Codable, Equatable {
    package let engine: String
    package let threads: Int
    package let batch: Int
    package let sentencesPerSecond: Double
    package let millisecondsPerSentence: Double

    package init(engine: String, threads: Int, batch: Int, sentences: Int, seconds: Double) {
        self.engine = engine
        self.threads = threads
        self.batch = batch
        sentencesPerSecond = Double(sentences) / seconds
        millisecondsPerSentence = 1000 * seconds / Double(sentences)
    }
}
