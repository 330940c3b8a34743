/// One decoder block's weights.
struct LlamaLayer: Sendable {
    let attentionNorm: [Float]
    let query: QuantizedMatrix
    let key: QuantizedMatrix
    let value: QuantizedMatrix
    let attentionOutput: QuantizedMatrix
    let feedForwardNorm: [Float]
    let gate: QuantizedMatrix
    let up: QuantizedMatrix
    let down: QuantizedMatrix
}

/// All weights of a Llama model, read from GGUF tensors with their shapes checked. When the file
/// has no `output.weight`, the output projection is the token embedding (tied weights).
struct LlamaWeights: Sendable {
    let tokenEmbedding: QuantizedMatrix
    let layers: [LlamaLayer]
    let outputNorm: [Float]
    let output: QuantizedMatrix

    init(gguf: GGUFFile, configuration c: LlamaConfiguration) throws(GGUFError) {
        func matrix(_ name: String, inputs: Int, outputs: Int) throws(GGUFError) -> QuantizedMatrix {
            let info = try gguf.tensor(name)
            guard info.shape == [inputs, outputs] else {
                throw .unexpectedTensorShape(tensor: name, shape: info.shape, expected: [inputs, outputs])
            }
            return try QuantizedMatrix(tensor: info, data: gguf.data(of: info))
        }
        func vector(_ name: String, _ count: Int) throws(GGUFError) -> [Float] {
            let info = try gguf.tensor(name)
            guard info.shape == [count] else {
                throw .unexpectedTensorShape(tensor: name, shape: info.shape, expected: [count])
            }
            guard info.type == .f32 || info.type == .f16 || info.type == .bf16 else {
                throw .unexpectedTensorType(tensor: name, type: info.type.name)
            }
            return GGMLBlocks.dequantize(info.type, gguf.data(of: info), count: count)
        }
        tokenEmbedding = try matrix("token_embd.weight", inputs: c.embedding, outputs: c.vocabulary)
        var layers: [LlamaLayer] = []
        for index in 0..<c.layers {
            let prefix = "blk.\(index)."
            layers.append(
                LlamaLayer(
                    attentionNorm: try vector(prefix + "attn_norm.weight", c.embedding),
                    query: try matrix(prefix + "attn_q.weight", inputs: c.embedding, outputs: c.embedding),
                    key: try matrix(prefix + "attn_k.weight", inputs: c.embedding, outputs: c.keyValueDimension),
                    value: try matrix(prefix + "attn_v.weight", inputs: c.embedding, outputs: c.keyValueDimension),
                    attentionOutput: try matrix(prefix + "attn_output.weight", inputs: c.embedding, outputs: c.embedding),
                    feedForwardNorm: try vector(prefix + "ffn_norm.weight", c.embedding),
                    gate: try matrix(prefix + "ffn_gate.weight", inputs: c.embedding, outputs: c.feedForward),
                    up: try matrix(prefix + "ffn_up.weight", inputs: c.embedding, outputs: c.feedForward),
                    down: try matrix(prefix + "ffn_down.weight", inputs: c.feedForward, outputs: c.embedding)))
        }
        self.layers = layers
        outputNorm = try vector("output_norm.weight", c.embedding)
        if gguf.tensors.contains(where: { $0.name == "output.weight" }) {
            output = try matrix("output.weight", inputs: c.embedding, outputs: c.vocabulary)
        } else {
            output = tokenEmbedding
        }
    }
}
