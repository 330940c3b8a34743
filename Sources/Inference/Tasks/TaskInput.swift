/// What a request asks the engine to compute.
public enum TaskInput: Sendable, Equatable {
    case embed(text: String)
    case similarity(text: String, other: String)
    case classify(text: String, labels: [String])

    public var task: InferenceTask {
        switch self {
        case .embed: .embed
        case .similarity: .similarity
        case .classify: .classify
        }
    }

    /// Every text the task embeds, in a fixed order: the text, then the other text or the labels.
    var texts: [String] {
        switch self {
        case .embed(let text): [text]
        case .similarity(let text, let other): [text, other]
        case .classify(let text, let labels): [text] + labels
        }
    }
}
