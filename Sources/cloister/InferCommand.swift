import ArgumentParser
import Ethereum
import Foundation
import Inference

/// `cloister infer --task embed|similarity|classify --text …`: runs one task on the embedded
/// engine and prints the hash of the canonical output bytes with the decoded result.
struct InferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer",
        abstract: "Run a task on the embedded all-MiniLM-L6-v2 engine and print the output hash."
    )

    @Option(help: "embed, similarity or classify.")
    var task: String

    @Option(help: "The text.")
    var text: String

    @Option(help: "The second text (similarity).")
    var text2: String?

    @Option(help: "Comma-separated candidate labels (classify).")
    var labels: String?

    @Option(help: "Worker threads.")
    var threads = 1

    @Flag(help: "Print one JSON object.")
    var json = false

    @OptionGroup var model: ModelDirectoryOption

    func run() throws {
        let input = try taskInput(InferenceTask(name: task))
        let engine = try EmbeddedEngine(files: model.files, threads: threads)
        let output = try engine.run(input)
        let digest = input.task == .embed ? engine.embeddingDigest(text) : nil
        let summary = InferenceSummary(modelID: engine.modelID(for: input.task), input: input, output: output,
                                       embeddingDigest: digest)
        print(json ? try summary.jsonText() : summary.text())
    }

    private func taskInput(_ task: InferenceTask) throws -> TaskInput {
        switch task {
        case .embed:
            return .embed(text: text)
        case .similarity:
            guard let text2 else { throw ValidationError("similarity needs --text2") }
            return .similarity(text: text, other: text2)
        case .classify:
            guard let labels else { throw ValidationError("classify needs --labels a,b,c") }
            return .classify(text: text, labels: labels.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) })
        }
    }
}
