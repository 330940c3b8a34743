/// Why the engine refused to load a model or to run a task. Messages never quote the input text:
/// inputs may be confidential.
public enum InferenceError: Error, Equatable, Sendable, CustomStringConvertible {
    case modelFileUnreadable(path: String)
    case invalidTokenizer(String)
    case invalidWeights(String)
    case weightsHashMismatch(expected: String, actual: String)
    case tokenizerHashMismatch(expected: String, actual: String)
    case unknownTask(String)
    case unknownModel(String)
    case emptyInput
    case inputTooLarge(bytes: Int, limit: Int)
    case invalidLabels(String)
    case malformedInput(String)

    public var description: String {
        switch self {
        case .modelFileUnreadable(let path): "cannot read model file \(path)"
        case .invalidTokenizer(let reason): "invalid tokenizer: \(reason)"
        case .invalidWeights(let reason): "invalid weights: \(reason)"
        case .weightsHashMismatch(let expected, let actual):
            "weights hash \(actual) does not match the pinned \(expected); refusing to load"
        case .tokenizerHashMismatch(let expected, let actual):
            "tokenizer hash \(actual) does not match the pinned \(expected); refusing to load"
        case .unknownTask(let name): "unknown task '\(name)' (expected embed, similarity or classify)"
        case .unknownModel(let id): "model \(id) is not served by this engine"
        case .emptyInput: "input text is empty"
        case .inputTooLarge(let bytes, let limit): "input of \(bytes) bytes exceeds the limit of \(limit) bytes"
        case .invalidLabels(let reason): "invalid labels: \(reason)"
        case .malformedInput(let reason): "malformed task input: \(reason)"
        }
    }
}
