import Ethereum

/// A model served over HTTP by an OpenAI-compatible server (vLLM, llama.cpp) in the same confidential VM.
/// Implemented in this module; see docs/inference.md.
public protocol CompletionBackend: Sendable {
    /// The canonical output bytes for `prompt` (what the node commits to and signs).
    func complete(_ prompt: String) async throws -> [UInt8]
}
