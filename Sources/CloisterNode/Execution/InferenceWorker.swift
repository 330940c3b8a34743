import Dispatch
import Inference

/// What the executor runs a MiniLM task with: the engine, or (in the node benchmark) a stand-in that
/// answers without inference so only the node's own work is measured, or (in the test-only adversary
/// binary) the engine made to lie. The `cloister` binary has no way to replace it.
package protocol TaskRunner: Sendable {
    /// The model ids this runner serves.
    var identity: ModelIdentity { get }
    func run(_ input: TaskInput) async -> Result<TaskOutput, InferenceError>
}

/// What the executor runs an LLM task (`generate`, `score`) with: the embedded LLM, or its lying wrapper
/// in the adversary binary.
package protocol LLMTaskRunner: Sendable {
    /// The model ids this runner serves.
    var identity: LLMIdentity { get }
    func run(_ input: LLMTaskInput) async -> Result<LLMTaskOutput, LLMError>
}

/// How the node's runners are wrapped before use: unchanged in `cloister`, made to lie by the test-only
/// adversary binary.
package struct RunnerWrapping: Sendable {
    package var engine: @Sendable (any TaskRunner) -> any TaskRunner
    package var llm: @Sendable (any LLMTaskRunner) -> any LLMTaskRunner

    package init(
        engine: @escaping @Sendable (any TaskRunner) -> any TaskRunner = { $0 },
        llm: @escaping @Sendable (any LLMTaskRunner) -> any LLMTaskRunner = { $0 }
    ) {
        self.engine = engine
        self.llm = llm
    }
}

/// Threads of the engines' own, so a long forward pass never blocks the Swift concurrency pool that the
/// watcher, submitter and HTTP server share.
struct EngineThreads: Sendable {
    private let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label, qos: .userInitiated, attributes: .concurrent)
    }

    func run<Output: Sendable, Failure: Error>(_ work: @escaping @Sendable () throws(Failure) -> Output) async -> Result<Output, Failure> {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: Result { () throws(Failure) in try work() }) }
        }
    }
}

/// MiniLM on threads of its own.
struct InferenceWorker: TaskRunner {
    let engine: EmbeddedEngine
    private let threads = EngineThreads(label: "cloister.inference")

    init(engine: EmbeddedEngine) {
        self.engine = engine
    }

    var identity: ModelIdentity { engine.identity }

    func run(_ input: TaskInput) async -> Result<TaskOutput, InferenceError> {
        await threads.run { () throws(InferenceError) in try engine.run(input) }
    }
}

/// The embedded LLM on threads of its own.
struct LLMWorker: LLMTaskRunner {
    let llm: EmbeddedLLM
    private let threads = EngineThreads(label: "cloister.llm")

    init(llm: EmbeddedLLM) {
        self.llm = llm
    }

    var identity: LLMIdentity { llm.identity }

    func run(_ input: LLMTaskInput) async -> Result<LLMTaskOutput, LLMError> {
        await threads.run { () throws(LLMError) in try llm.run(input) }
    }
}
