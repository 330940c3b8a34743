import Dispatch
import Inference

/// What the executor runs a task with: the engine, or (in the node benchmark) a stand-in that answers
/// without inference so only the node's own work is measured. Public only as SPI, for the test-only
/// adversary binary that wraps the engine; the `cloister` binary has no way to replace it.
@_spi(Adversary) public protocol TaskRunner: Sendable {
    /// The model ids this runner serves.
    var identity: ModelIdentity { get }
    func run(_ input: TaskInput) async -> Result<TaskOutput, InferenceError>
}

/// Runs the engine on threads of its own, so a long forward pass never blocks the Swift concurrency
/// pool that the watcher, submitter and HTTP server share.
struct InferenceWorker: TaskRunner {
    let engine: EmbeddedEngine
    private let queue = DispatchQueue(label: "cloister.inference", qos: .userInitiated, attributes: .concurrent)

    init(engine: EmbeddedEngine) {
        self.engine = engine
    }

    var identity: ModelIdentity { engine.identity }

    func run(_ input: TaskInput) async -> Result<TaskOutput, InferenceError> {
        await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(returning: Result { () throws(InferenceError) in try engine.run(input) })
            }
        }
    }
}
