import ArgumentParser
import Foundation
import Inference

/// `--model-dir`, falling back to `CLOISTER_MODEL_DIR`, then to the wheel's location under the
/// project's `.venv` (searched from the working directory and from the executable's build folder).
struct ModelDirectoryOption: ParsableArguments {
    @Option(name: .customLong("model-dir"), help: "Folder with model.safetensors and vocab.txt (default: $CLOISTER_MODEL_DIR, else the project's .venv).")
    var modelDirectory: String?

    var files: ModelFiles {
        if let modelDirectory { return ModelFiles(directory: modelDirectory) }
        let environment = ProcessInfo.processInfo.environment
        let executableFolder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let roots = [FileManager.default.currentDirectoryPath,
                     executableFolder.appendingPathComponent("../..").standardized.path,
                     executableFolder.appendingPathComponent("../../..").standardized.path]
        let candidates = roots.map { ModelFiles.located(environment: environment, projectRoot: $0) }
        return candidates.first { FileManager.default.fileExists(atPath: $0.weights) } ?? candidates[0]
    }
}
