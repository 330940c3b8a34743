/// Sentences per second and milliseconds per sentence of one engine at one batch size and thread count.
public struct ThroughputResult: Sendable, Codable, Equatable {
    public let engine: String
    public let threads: Int
    public let batch: Int
    public let sentencesPerSecond: Double
    public let millisecondsPerSentence: Double

    public init(engine: String, threads: Int, batch: Int, sentences: Int, seconds: Double) {
        self.engine = engine
        self.threads = threads
        self.batch = batch
        sentencesPerSecond = Double(sentences) / seconds
        millisecondsPerSentence = 1000 * seconds / Double(sentences)
    }
}
