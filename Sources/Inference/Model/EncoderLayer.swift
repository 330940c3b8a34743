/// The weights of one transformer layer, with the linear layers packed for `PackedLinear.multiply`.
struct EncoderLayer: Sendable {
    /// Query, key and value projections fused: outputs 0..<384 are queries, then keys, then values.
    let queryKeyValue: PackedLinear
    let attentionOutput: PackedLinear
    let attentionNorm: LayerNorm
    let intermediate: PackedLinear
    let output: PackedLinear
    let outputNorm: LayerNorm

    init(tensors: SafeTensors, index: Int) throws(InferenceError) {
        let prefix = "encoder.layer.\(index)."
        let hidden = BertShape.hidden, inner = BertShape.intermediate
        func matrix(_ name: String, _ rows: Int, _ columns: Int) throws(InferenceError) -> UnsafeBufferPointer<Float> {
            try tensors.tensor(prefix + name + ".weight", shape: [rows, columns])
        }
        func vector(_ name: String, _ count: Int) throws(InferenceError) -> UnsafeBufferPointer<Float> {
            try tensors.tensor(prefix + name, shape: [count])
        }
        func norm(_ name: String) throws(InferenceError) -> LayerNorm {
            LayerNorm(
                gamma: try vector(name + ".weight", hidden), beta: try vector(name + ".bias", hidden),
                epsilon: BertShape.layerNormEpsilon)
        }
        let projections = ["attention.self.query", "attention.self.key", "attention.self.value"]
        var projectionWeights: [UnsafeBufferPointer<Float>] = []
        var projectionBiases: [UnsafeBufferPointer<Float>] = []
        for name in projections {
            projectionWeights.append(try matrix(name, hidden, hidden))
            projectionBiases.append(try vector(name + ".bias", hidden))
        }
        queryKeyValue = try PackedLinear(weights: projectionWeights, biases: projectionBiases, inputs: hidden)
        attentionOutput = try PackedLinear(
            weights: [try matrix("attention.output.dense", hidden, hidden)],
            biases: [try vector("attention.output.dense.bias", hidden)], inputs: hidden)
        attentionNorm = try norm("attention.output.LayerNorm")
        intermediate = try PackedLinear(
            weights: [try matrix("intermediate.dense", inner, hidden)],
            biases: [try vector("intermediate.dense.bias", inner)], inputs: hidden)
        output = try PackedLinear(
            weights: [try matrix("output.dense", hidden, inner)],
            biases: [try vector("output.dense.bias", hidden)], inputs: inner)
        outputNorm = try norm("output.LayerNorm")
    }
}
