import ArgumentParser
import Ethereum
import Inference

/// `cloister infer --task embed|similarity|classify --text …`: runs one task on the embedded
/// engine and prints the hash of the canonical output bytes with the decoded result.
struct InferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer",
        abstract: "Run a task on the embedded all-MiniLM-L6-v2 engine and print the output hash."
    )

    @OptionGroup var taskInput: TaskInputOptions

    @Option(help: "Worker threads.")
    var threads = 1

    @Flag(help: "Print one JSON object.")
    var json = false

    @OptionGroup var model: ModelDirectoryOption

    func run() throws {
        let input = try taskInput.input()
        let engine = try EmbeddedEngine(files: model.files, threads: threads)
        let output = try engine.run(input)
        let digest = input.task == .embed ? engine.embeddingDigest(taskInput.text) : nil
        let summary = InferenceSummary(modelID: engine.modelID(for: input.task), input: input, output: output,
                                       embeddingDigest: digest)
        print(json ? try summary.jsonText() : summary.text())
    }
}
