/// The dimensions of all-MiniLM-L6-v2 (checked against the weight shapes at load time).
enum BertShape {
    static let vocabularySize = 30522
    static let hidden = 384
    static let heads = 12
    static let headWidth = hidden / heads
    static let intermediate = 1536
    static let layers = 6
    static let maxPositions = 512
    static let layerNormEpsilon = 1e-12
}
