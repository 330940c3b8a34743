import Ethereum

/// A language model served over HTTP by a server in the same confidential VM (vLLM, llama.cpp),
/// answering one prompt with one completion. See docs/inference.md, "Models behind an
/// OpenAI-compatible server".
package protocol CompletionBackend: Sendable {
    /// The on-chain model id this backend serves (``OpenAICompatibleConfiguration/modelID``).
    var modelID: Bytes32 { get }

    /// Whether identical requests are expected to give byte-identical canonical outputs. The protocol
    /// samples only deterministic models for re-execution by other nodes; register the model on
    /// chain with the same flag (`setModel(…, deterministic)`).
    var deterministic: Bool { get }

    /// The completion of `prompt`, validated and canonicalised. Errors never quote the prompt.
    func complete(_ prompt: String) async throws(CompletionError) -> Completion
}
