/// Layer normalisation of one row: mean and variance summed in double precision in index
/// order, then y = (x − mean)/√(variance + ε)·γ + β (one fused multiply-add) rounded once to float.
struct LayerNorm: @unchecked Sendable {
    let gamma: UnsafeBufferPointer<Float>
    let beta: UnsafeBufferPointer<Float>
    let epsilon: Double

    func normalize(row: UnsafeMutablePointer<Float>) {
        let width = gamma.count
        var sum = 0.0
        for i in 0..<width { sum += Double(row[i]) }
        let mean = sum / Double(width)
        var squares = 0.0
        for i in 0..<width {
            let centered = Double(row[i]) - mean
            squares = squares.addingProduct(centered, centered)
        }
        let inverseDeviation = 1 / (squares / Double(width) + epsilon).squareRoot()
        for i in 0..<width {
            let normalized = (Double(row[i]) - mean) * inverseDeviation
            row[i] = Float(Double(beta[i]).addingProduct(normalized, Double(gamma[i])))
        }
    }
}
