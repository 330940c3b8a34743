import Dispatch
import Inference

/// Runs the engine on threads of its own, so a long forward pass never blocks the Swift concurrency
/// pool that the watcher, submitter and HTTP server share.
struct InferenceWorker: Sendable {
    let engine: EmbeddedEngine
    private let queue = DispatchQueue(label: "cloister.inference", qos: .userInitiated, attributes: .concurrent)

    init(engine: EmbeddedEngine) {
        self.engine = engine
    }

    func run(_ input: TaskInput) async -> Result<TaskOutput, InferenceError> {
        await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(returning: Result { () throws(InferenceError) in try engine.run(input) })
            }
        }
    }
}
