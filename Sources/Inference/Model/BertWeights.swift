/// All weights of the model: embedding tables and layer norms read in place from the memory-mapped
/// safetensors file (read-only for the life of the mapping, so shared freely), linear layers
/// repacked into panels.
struct BertWeights: @unchecked Sendable {
    let tensors: SafeTensors
    let wordEmbeddings: UnsafeBufferPointer<Float>
    let positionEmbeddings: UnsafeBufferPointer<Float>
    let tokenTypeEmbeddings: UnsafeBufferPointer<Float>
    let embeddingNorm: LayerNorm
    let layers: [EncoderLayer]

    init(tensors: SafeTensors) throws(InferenceError) {
        let hidden = BertShape.hidden
        self.tensors = tensors
        wordEmbeddings = try tensors.tensor("embeddings.word_embeddings.weight", shape: [BertShape.vocabularySize, hidden])
        positionEmbeddings = try tensors.tensor("embeddings.position_embeddings.weight", shape: [BertShape.maxPositions, hidden])
        tokenTypeEmbeddings = try tensors.tensor("embeddings.token_type_embeddings.weight", shape: [2, hidden])
        embeddingNorm = LayerNorm(
            gamma: try tensors.tensor("embeddings.LayerNorm.weight", shape: [hidden]),
            beta: try tensors.tensor("embeddings.LayerNorm.bias", shape: [hidden]),
            epsilon: BertShape.layerNormEpsilon)
        var layers: [EncoderLayer] = []
        for index in 0..<BertShape.layers {
            layers.append(try EncoderLayer(tensors: tensors, index: index))
        }
        self.layers = layers
    }
}
