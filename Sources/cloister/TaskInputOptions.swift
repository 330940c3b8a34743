import ArgumentParser
import Foundation
import Inference

/// `--task embed|similarity|classify --text … [--text2 …] [--labels a,b,c]`: one task's input.
struct TaskInputOptions: ParsableArguments {
    @Option(help: "embed, similarity or classify.")
    var task: String

    @Option(help: "The text.")
    var text: String

    @Option(help: "The second text (similarity).")
    var text2: String?

    @Option(help: "Comma-separated candidate labels (classify).")
    var labels: String?

    func input() throws -> TaskInput {
        switch try InferenceTask(name: task) {
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
