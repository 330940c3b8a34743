/// The tasks the embedded engine serves. Each task of each model has its own model id.
public enum InferenceTask: String, Sendable, CaseIterable, Codable {
    /// One text → its int8-quantised 384-dimensional embedding.
    case embed
    /// Two texts → the cosine of their embeddings as a fixed-point integer.
    case similarity
    /// A text and candidate labels → the best label's index and every label's fixed-point score.
    case classify

    /// The task called `name`, or `InferenceError.unknownTask`.
    public init(name: String) throws(InferenceError) {
        guard let task = InferenceTask(rawValue: name) else { throw .unknownTask(name) }
        self = task
    }
}
