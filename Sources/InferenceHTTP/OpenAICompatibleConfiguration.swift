/// How to reach a model served by an OpenAI-compatible server and what to ask it for.
///
/// Every request also sends `temperature: 0`, `n: 1` and `stream: false`; those are not settings.
/// ``modelID`` commits to the fields that change outputs: the served model name, the seed and
/// `maxTokens`.
package struct OpenAICompatibleConfiguration: Sendable, Equatable {
    /// The API root, e.g. `http://127.0.0.1:8000/v1` (vLLM) or `http://127.0.0.1:8080/v1` (llama.cpp);
    /// requests go to `{baseURL}/chat/completions`. http or https, no credentials, query or fragment.
    package var baseURL: String
    /// The name the server serves the model under (vLLM `--served-model-name`, llama.cpp `--alias`);
    /// sent as `model` and required back in the response.
    package var servedModelName: String
    /// Sent as `Authorization: Bearer`; never logged or put in errors.
    package var apiKey: APIKey?
    /// `max_tokens`: the longest completion, in tokens (at least 1).
    package var maxTokens: UInt32
    /// `seed` for the server's sampler. llama.cpp takes 32-bit seeds: keep it below 2³² there.
    package var seed: UInt64
    /// Longest wait for the complete response, connection and body included.
    package var requestTimeout: Duration
    /// Largest response body accepted, in bytes.
    package var maxResponseBytes: Int
    /// Whether identical requests give byte-identical canonical outputs on this deployment.
    ///
    /// Default `false`: batching, kernel selection and GPU reduction orders make served LLMs vary
    /// between runs even at temperature 0 with a seed. The protocol samples only deterministic models
    /// for re-execution by other nodes, so register such a model on chain with
    /// `setModel(…, deterministic = false)`. Set `true` only for a deployment whose outputs have been
    /// shown to repeat bit for bit (docs/inference.md).
    package var deterministic: Bool

    package init(
        baseURL: String, servedModelName: String, apiKey: APIKey? = nil, maxTokens: UInt32 = 256,
        seed: UInt64 = 0, requestTimeout: Duration = .seconds(60), maxResponseBytes: Int = 1 << 20,
        deterministic: Bool = false
    ) {
        self.baseURL = baseURL
        self.servedModelName = servedModelName
        self.apiKey = apiKey
        self.maxTokens = maxTokens
        self.seed = seed
        self.requestTimeout = requestTimeout
        self.maxResponseBytes = maxResponseBytes
        self.deterministic = deterministic
    }
}
