import ArgumentParser
import Ethereum
import Inference

/// `cloister infer --task embed|similarity|classify|generate|score --text …`: runs one task on the
/// embedded engine (MiniLM) or the embedded LLM and prints the hash of the canonical output bytes with
/// the decoded result.
struct InferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer",
        abstract: "Run a task on the embedded all-MiniLM-L6-v2 engine or SmolLM2 LLM and print the output hash."
    )

    @OptionGroup var taskInput: TaskInputOptions

    @Option(help: "Worker threads.")
    var threads = 1

    @Flag(help: "Print one JSON object.")
    var json = false

    @OptionGroup var model: ModelDirectoryOption

    func run() throws {
        let summary: InferenceSummary
        switch try taskInput.input() {
        case .engine(let input):
            let engine = try EmbeddedEngine(files: model.files, threads: threads)
            let output = try engine.run(input)
            let digest = input.task == .embed ? engine.embeddingDigest(taskInput.text) : nil
            summary = InferenceSummary(
                modelID: engine.modelID(for: input.task),
                result: .engine(input: input, output: output, embeddingDigest: digest))
        case .llm(let input):
            let llm = try EmbeddedLLM(file: model.llmFile, threads: threads)
            summary = InferenceSummary(modelID: llm.modelID(for: input.task), result: .llm(input: input, output: try llm.run(input)))
        }
        print(json ? try summary.jsonText() : summary.text())
    }
}
