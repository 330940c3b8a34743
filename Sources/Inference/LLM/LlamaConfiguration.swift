/// The shape of a Llama-architecture model, from its GGUF metadata (`llama.*`).
package struct LlamaConfiguration: Sendable, Equatable {
    package let layers: Int
    package let embedding: Int
    package let feedForward: Int
    package let heads: Int
    package let keyValueHeads: Int
    package let headDimension: Int
    package let vocabulary: Int
    package let contextLength: Int
    package let ropeDimensions: Int
    package let ropeFrequencyBase: Float
    package let rmsEpsilon: Float

    init(gguf: GGUFFile) throws(GGUFError) {
        let architecture = try gguf.string("general.architecture")
        guard architecture == "llama" else { throw .unsupportedModel("architecture '\(architecture)' (only 'llama')") }
        layers = try gguf.integer("llama.block_count")
        embedding = try gguf.integer("llama.embedding_length")
        feedForward = try gguf.integer("llama.feed_forward_length")
        heads = try gguf.integer("llama.attention.head_count")
        keyValueHeads = (try? gguf.integer("llama.attention.head_count_kv")) ?? heads
        contextLength = try gguf.integer("llama.context_length")
        rmsEpsilon = Float(try gguf.float("llama.attention.layer_norm_rms_epsilon"))
        ropeFrequencyBase = Float((try? gguf.float("llama.rope.freq_base")) ?? 10_000)
        if let size = try? gguf.integer("llama.vocab_size") {
            vocabulary = size
        } else {
            vocabulary = try gguf.strings("tokenizer.ggml.tokens").count
        }
        guard (1...256).contains(layers), (1...65_536).contains(embedding), (1...262_144).contains(feedForward),
            heads > 0, keyValueHeads > 0, heads % keyValueHeads == 0, embedding % heads == 0,
            contextLength > 0, (1...1_048_576).contains(vocabulary)
        else {
            throw .unsupportedModel("implausible llama hyper-parameters")
        }
        headDimension = embedding / heads
        ropeDimensions = (try? gguf.integer("llama.rope.dimension_count")) ?? headDimension
        guard ropeDimensions == headDimension, headDimension.isMultiple(of: 2) else {
            throw .unsupportedModel("partial rotary embeddings (\(ropeDimensions) of \(headDimension))")
        }
        if let scaling = gguf.metadata["llama.rope.scaling.type"], scaling != .string("none") {
            throw .unsupportedModel("rope scaling")
        }
    }

    var keyValueDimension: Int { keyValueHeads * headDimension }
}
