/// Multi-head self-attention of one sequence, one head at a time, reading the fused
/// query/key/value rows and writing that head's 32 columns of the context rows.
///
/// Only the sequence's own tokens take part: there is no padding and no mask, so a text gives
/// the same bits alone or in a batch. Fixed orders: each score is a fused multiply-add chain
/// over the head's 32 dimensions; softmax sums exponentials in double precision by ascending
/// key; each context value is a fused multiply-add chain over keys in ascending order.
struct SelfAttention {
    private static let width = BertShape.headWidth
    private static let stride = 3 * BertShape.hidden
    private static let scale = Float(1 / Double(BertShape.headWidth).squareRoot())

    /// Scratch space for one sequence length: keys transposed, one row of scores and their
    /// exponentials.
    private let keysTransposed: FloatBuffer
    private let scores: FloatBuffer
    private let exponentials: DoubleBuffer
    private let paddedLength: Int

    init(maxLength: Int) {
        paddedLength = (maxLength + 15) / 16 * 16
        keysTransposed = FloatBuffer(count: Self.width * paddedLength)
        scores = FloatBuffer(count: paddedLength)
        exponentials = DoubleBuffer(count: paddedLength)
    }

    /// `qkv` points at the sequence's first fused row; `context` at its first context row.
    func run(head: Int, length: Int, qkv: UnsafePointer<Float>, context: UnsafeMutablePointer<Float>) {
        let queryColumn = head * Self.width
        let keyColumn = BertShape.hidden + queryColumn
        let valueColumn = 2 * BertShape.hidden + queryColumn
        let keys = keysTransposed.pointer
        let chunks = (length + 15) / 16
        for d in 0..<Self.width {
            for j in 0..<(chunks * 16) {
                keys[d * paddedLength + j] = j < length ? qkv[j * Self.stride + keyColumn + d] : 0
            }
        }
        for i in 0..<length {
            let query = qkv + i * Self.stride + queryColumn
            for chunk in 0..<chunks {
                var sum = SIMD16<Float>(repeating: 0)
                for d in 0..<Self.width {
                    sum.addProduct(SIMD16(repeating: query[d]), load(keys + d * paddedLength, chunk * 16))
                }
                store(sum * Self.scale, scores.pointer, chunk * 16)
            }
            softmax(length)
            let output = context + i * BertShape.hidden + queryColumn
            var low = SIMD16<Float>(repeating: 0), high = SIMD16<Float>(repeating: 0)
            for j in 0..<length {
                let weight = SIMD16(repeating: scores.pointer[j])
                let value = qkv + j * Self.stride + valueColumn
                low.addProduct(weight, load(value, 0))
                high.addProduct(weight, load(value, 16))
            }
            store(low, output, 0)
            store(high, output, 16)
        }
    }

    /// Replaces scores[0..<length] by their softmax: the exponentials eight at a time
    /// (`PortableMath.exp8`, the same bits as `exp` lane by lane), their sum in ascending order.
    private func softmax(_ length: Int) {
        let row = scores.pointer
        let exponentials = exponentials.pointer
        var maximum = row[0]
        for j in 1..<length where row[j] > maximum { maximum = row[j] }
        let shift = Double(maximum)
        var j = 0
        while j + 8 <= length {
            var x = SIMD8<Double>()
            for lane in 0..<8 { x[lane] = Double(row[j + lane]) - shift }
            UnsafeMutableRawPointer(exponentials + j).storeBytes(of: PortableMath.exp8(x), as: SIMD8<Double>.self)
            j += 8
        }
        while j < length {
            exponentials[j] = PortableMath.exp(Double(row[j]) - shift)
            j += 1
        }
        var total = 0.0
        for j in 0..<length { total += exponentials[j] }
        for j in 0..<length { row[j] = Float(exponentials[j] / total) }
    }
}
