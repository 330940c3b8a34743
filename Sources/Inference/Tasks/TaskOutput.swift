/// What the engine computed. `abiEncoded` gives the bytes the node commits to and signs.
public enum TaskOutput: Sendable, Equatable {
    /// The embedding quantised to int8: value = clamp(round(v · 256), −127, 127), ties away from zero.
    case embedding([Int8])
    /// Cosine similarity · 10⁶, rounded to the nearest integer, ties away from zero.
    case similarity(Int)
    /// The index of the highest-scoring label (the first on a tie) and every label's score
    /// (cosine with the text · 10⁶, rounded as for similarity).
    case classification(best: Int, scores: [Int])

    public var task: InferenceTask {
        switch self {
        case .embedding: .embed
        case .similarity: .similarity
        case .classification: .classify
        }
    }
}
