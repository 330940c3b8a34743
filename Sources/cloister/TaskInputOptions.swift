import ArgumentParser
import Ethereum
import Foundation
import Inference

/// `--task embed|similarity|classify|generate|score --text … [--text2 …] [--labels a,b,c] [--max-tokens N]
/// [--stop S]… [--completion C]…`: one task's input, for the MiniLM engine or the embedded LLM.
struct TaskInputOptions: ParsableArguments {
    @Option(help: "embed, similarity or classify (MiniLM); generate or score (the embedded LLM).")
    var task: String

    @Option(help: "The text (for generate and score: the user's message).")
    var text: String

    @Option(help: "The second text (similarity).")
    var text2: String?

    @Option(help: "Comma-separated candidate labels (classify).")
    var labels: String?

    @Option(help: "The most tokens to generate (generate).")
    var maxTokens: Int?

    @Option(help: "A string that ends the answer where it first appears (generate; repeatable).")
    var stop: [String] = []

    @Option(help: "A candidate answer whose log-probability to compute (score; repeatable).")
    var completion: [String] = []

    func input() throws -> RequestedTask {
        switch task {
        case LLMTask.generate.rawValue:
            guard let maxTokens else { throw ValidationError("generate needs --max-tokens N") }
            return .llm(.generate(prompt: text, maxTokens: maxTokens, stop: stop))
        case LLMTask.score.rawValue:
            guard !completion.isEmpty else { throw ValidationError("score needs at least one --completion") }
            return .llm(.score(prompt: text, completions: completion))
        default:
            break
        }
        switch try InferenceTask(name: task) {
        case .embed:
            return .engine(.embed(text: text))
        case .similarity:
            guard let text2 else { throw ValidationError("similarity needs --text2") }
            return .engine(.similarity(text: text, other: text2))
        case .classify:
            guard let labels else { throw ValidationError("classify needs --labels a,b,c") }
            return .engine(
                .classify(
                    text: text,
                    labels: labels.split(separator: ",", omittingEmptySubsequences: false)
                        .map { $0.trimmingCharacters(in: .whitespaces) }))
        }
    }
}

/// A task's input for either of the node's embedded engines.
enum RequestedTask {
    case engine(TaskInput)
    case llm(LLMTaskInput)

    /// The model id that serves it on a deployment with the pinned model files.
    var modelID: Bytes32 {
        switch self {
        case .engine(let input): ModelIdentity.allMiniLML6V2.modelID(for: input.task)
        case .llm(let input): LLMIdentity.smolLM2.modelID(for: input.task)
        }
    }

    var abiEncoded: [UInt8] {
        switch self {
        case .engine(let input): input.abiEncoded
        case .llm(let input): input.abiEncoded
        }
    }

    /// The summary of `output` (canonical bytes) as this task's result, if they decode.
    func summary(of output: [UInt8], modelID: Bytes32) -> InferenceSummary? {
        switch self {
        case .engine(let input):
            guard let decoded = try? TaskOutput(task: input.task, abiEncoded: output) else { return nil }
            return InferenceSummary(modelID: modelID, result: .engine(input: input, output: decoded, embeddingDigest: nil))
        case .llm(let input):
            guard let decoded = try? LLMTaskOutput(task: input.task, abiEncoded: output) else { return nil }
            return InferenceSummary(modelID: modelID, result: .llm(input: input, output: decoded))
        }
    }
}
