import CloisterNode
import Inference

/// Answers every task at once with a fixed output of the task's shape: the node benchmark measures the
/// node's own work (decoding, store, signing, batching, submission), not inference.
struct CannedRunner: TaskRunner {
    let identity: ModelIdentity

    func run(_ input: TaskInput) async -> Result<TaskOutput, InferenceError> {
        switch input {
        case .embed: .success(.embedding([Int8](repeating: 1, count: 384)))
        case .similarity: .success(.similarity(500_000))
        case .classify(_, let labels): .success(.classification(best: 0, scores: labels.map { _ in 1 }))
        }
    }
}
