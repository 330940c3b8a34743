/// A linear layer y = x·Wᵀ + b with W repacked from PyTorch's `[out, in]` layout into panels
/// of `panelWidth` output columns: panel p holds, for each input index k in order, the weights
/// of outputs p·64 … p·64+63. The matrix multiply then reads each panel contiguously.
struct PackedLinear: Sendable {
    static let panelWidth = 64

    let inputs: Int
    let outputs: Int
    let panels: [Float]
    let bias: [Float]

    /// Packs one or more PyTorch weight matrices that share the input size, stacking their
    /// outputs (used to fuse the query, key and value projections into one multiply).
    init(weights: [UnsafeBufferPointer<Float>], biases: [UnsafeBufferPointer<Float>], inputs: Int) throws(InferenceError) {
        let outputs = biases.reduce(0) { $0 + $1.count }
        guard outputs % Self.panelWidth == 0, zip(weights, biases).allSatisfy({ $0.count == $1.count * inputs }) else {
            throw .invalidWeights("linear layer of \(outputs) outputs cannot be packed")
        }
        let rows = weights.flatMap { matrix in
            stride(from: 0, to: matrix.count, by: inputs).map { matrix[$0..<($0 + inputs)] }
        }
        var panels = [Float](repeating: 0, count: outputs * inputs)
        for panel in 0..<(outputs / Self.panelWidth) {
            for k in 0..<inputs {
                for column in 0..<Self.panelWidth {
                    let row = rows[panel * Self.panelWidth + column]
                    panels[(panel * inputs + k) * Self.panelWidth + column] = row[row.startIndex + k]
                }
            }
        }
        self.inputs = inputs
        self.outputs = outputs
        self.panels = panels
        bias = biases.flatMap { Array($0) }
    }

    var panelCount: Int { outputs / Self.panelWidth }
}
