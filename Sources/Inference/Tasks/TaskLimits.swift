/// Input limits the engine enforces before any work. Long texts are also truncated to the model's
/// 256 tokens, but a request above these byte limits is refused outright.
public struct TaskLimits: Sendable, Equatable {
    /// Largest UTF-8 size of one text (the main text, the other text, or a label).
    public var maxTextBytes: Int
    /// Most labels in a classify request.
    public var maxLabels: Int

    public init(maxTextBytes: Int = 16_384, maxLabels: Int = 64) {
        self.maxTextBytes = maxTextBytes
        self.maxLabels = maxLabels
    }

    /// Throws unless every text is within size, no text is empty, and labels are 1…maxLabels distinct strings.
    func validate(_ input: TaskInput) throws(InferenceError) {
        for text in input.texts {
            if text.utf8.count > maxTextBytes { throw .inputTooLarge(bytes: text.utf8.count, limit: maxTextBytes) }
        }
        if case .classify(_, let labels) = input {
            guard !labels.isEmpty, labels.count <= maxLabels else {
                throw .invalidLabels("\(labels.count) labels; between 1 and \(maxLabels) are allowed")
            }
            guard Set(labels.map { Array($0.utf8) }).count == labels.count else {
                throw .invalidLabels("labels repeat")
            }
        }
    }
}
