/// The keys and values of every layer for the positions processed so far (single precision).
/// A value type: copying a cache forks a conversation, which is how `score` reuses a prompt.
package struct KeyValueCache: Sendable {
    package private(set) var count = 0
    let capacity: Int
    let width: Int
    var keys: [[Float]]
    var values: [[Float]]

    init(layers: Int, width: Int, capacity: Int) {
        self.capacity = capacity
        self.width = width
        keys = Array(repeating: [], count: layers)
        values = Array(repeating: [], count: layers)
        for layer in 0..<layers {
            keys[layer].reserveCapacity(capacity * width)
            values[layer].reserveCapacity(capacity * width)
        }
    }

    mutating func append(layer: Int, keys newKeys: UnsafeBufferPointer<Float>, values newValues: UnsafeBufferPointer<Float>) {
        keys[layer].append(contentsOf: newKeys)
        values[layer].append(contentsOf: newValues)
    }

    mutating func advance(by positions: Int) { count += positions }
}

/// A Llama-architecture decoder (RMSNorm, rotary embeddings, grouped-query attention, SwiGLU)
/// over GGUF weights, computed in the order llama.cpp's CPU backend computes it, with one fixed
/// order of operations per output value so that results are bit-identical across runs, thread
/// counts and builds (docs/determinism.md).
struct LlamaModel: Sendable {
    let configuration: LlamaConfiguration
    let weights: LlamaWeights
    /// θ-scale of the rotary embedding: base^(−2/d), computed portably and rounded to float.
    let ropeThetaScale: Float

    init(configuration: LlamaConfiguration, weights: LlamaWeights) {
        self.configuration = configuration
        self.weights = weights
        let exponent = Double(-2 / Float(configuration.ropeDimensions))
        ropeThetaScale = Float(PortableMath.exp(exponent * PortableMath.log(Double(configuration.ropeFrequencyBase))))
    }

    func emptyCache(capacity: Int) -> KeyValueCache {
        KeyValueCache(layers: configuration.layers, width: configuration.keyValueDimension, capacity: capacity)
    }

    /// Runs `tokens` at the positions after those in `cache`, appends their keys and values, and
    /// returns the logits of the last token, or of every token when `allLogits`.
    func forward(_ tokens: [Int], cache: inout KeyValueCache, allLogits: Bool, runner: ParallelRunner) -> [[Float]] {
        let c = configuration
        let rows = tokens.count
        let start = cache.count
        precondition(rows > 0 && start + rows <= cache.capacity, "positions beyond the cache")
        let x = FloatBuffer(count: rows * c.embedding)
        for (row, token) in tokens.enumerated() {
            let embedding = weights.tokenEmbedding.dequantizedRow(token)
            (x.pointer + row * c.embedding).update(from: embedding, count: c.embedding)
        }
        let normed = FloatBuffer(count: rows * c.embedding)
        let query = FloatBuffer(count: rows * c.embedding)
        let key = FloatBuffer(count: rows * c.keyValueDimension)
        let value = FloatBuffer(count: rows * c.keyValueDimension)
        let attention = FloatBuffer(count: rows * c.embedding)
        let projected = FloatBuffer(count: rows * c.embedding)
        let gate = FloatBuffer(count: rows * c.feedForward)
        let up = FloatBuffer(count: rows * c.feedForward)
        let rotations = rotaryTable(positions: start..<(start + rows))

        for (index, layer) in weights.layers.enumerated() {
            rmsNorm(x, into: normed, rows: rows, weight: layer.attentionNorm)
            layer.query.multiply(normed.pointer, count: rows, into: query.pointer, runner: runner)
            layer.key.multiply(normed.pointer, count: rows, into: key.pointer, runner: runner)
            layer.value.multiply(normed.pointer, count: rows, into: value.pointer, runner: runner)
            rotate(query, rows: rows, heads: c.heads, table: rotations)
            rotate(key, rows: rows, heads: c.keyValueHeads, table: rotations)
            cache.append(
                layer: index, keys: UnsafeBufferPointer(start: key.pointer, count: key.count),
                values: UnsafeBufferPointer(start: value.pointer, count: value.count))
            attend(query, cache: cache, layer: index, start: start, rows: rows, into: attention, runner: runner)
            layer.attentionOutput.multiply(attention.pointer, count: rows, into: projected.pointer, runner: runner)
            for i in 0..<(rows * c.embedding) { x.pointer[i] += projected.pointer[i] }

            rmsNorm(x, into: normed, rows: rows, weight: layer.feedForwardNorm)
            layer.gate.multiply(normed.pointer, count: rows, into: gate.pointer, runner: runner)
            layer.up.multiply(normed.pointer, count: rows, into: up.pointer, runner: runner)
            for i in 0..<(rows * c.feedForward) {
                gate.pointer[i] = ReferenceArithmetic.silu(gate.pointer[i]) * up.pointer[i]
            }
            layer.down.multiply(gate.pointer, count: rows, into: projected.pointer, runner: runner)
            for i in 0..<(rows * c.embedding) { x.pointer[i] += projected.pointer[i] }
        }
        cache.advance(by: rows)

        let outputRows = allLogits ? Array(0..<rows) : [rows - 1]
        let final = FloatBuffer(count: outputRows.count * c.embedding)
        let selected = FloatBuffer(count: outputRows.count * c.embedding)
        for (target, row) in outputRows.enumerated() {
            (selected.pointer + target * c.embedding).update(from: x.pointer + row * c.embedding, count: c.embedding)
        }
        rmsNorm(selected, into: final, rows: outputRows.count, weight: weights.outputNorm)
        let logits = FloatBuffer(count: outputRows.count * c.vocabulary)
        weights.output.multiply(final.pointer, count: outputRows.count, into: logits.pointer, runner: runner)
        return (0..<outputRows.count).map { row in
            Array(UnsafeBufferPointer(start: logits.pointer + row * c.vocabulary, count: c.vocabulary))
        }
    }

    /// y = x · 1/√(mean(x²) + ε) · w, the sum of squares accumulated in double in index order.
    private func rmsNorm(_ x: FloatBuffer, into y: FloatBuffer, rows: Int, weight: [Float]) {
        let n = configuration.embedding
        for row in 0..<rows {
            let source = x.pointer + row * n
            let target = y.pointer + row * n
            var sum = 0.0
            for i in 0..<n { sum += Double(source[i] * source[i]) }
            let mean = Float(sum / Double(n))
            let scale = 1 / (mean + configuration.rmsEpsilon).squareRoot()
            for i in 0..<n { target[i] = (source[i] * scale) * weight[i] }
        }
    }

    /// cos θ and sin θ for each position and pair: θ starts at the position and is multiplied by
    /// the θ-scale once per pair, in single precision, and its sine and cosine are rounded as
    /// glibc's `sinf`/`cosf` round them (as llama.cpp's rope cache does).
    private func rotaryTable(positions: Range<Int>) -> [Float] {
        let pairs = configuration.headDimension / 2
        var table = [Float](repeating: 0, count: positions.count * pairs * 2)
        for (row, position) in positions.enumerated() {
            var theta = Float(position)
            for pair in 0..<pairs {
                let (sine, cosine) = ReferenceArithmetic.sinCos(theta)
                table[(row * pairs + pair) * 2] = cosine
                table[(row * pairs + pair) * 2 + 1] = sine
                theta *= ropeThetaScale
            }
        }
        return table
    }

    /// Rotates adjacent pairs (GGUF's llama layout) of each head's vector.
    private func rotate(_ buffer: FloatBuffer, rows: Int, heads: Int, table: [Float]) {
        let d = configuration.headDimension
        let pairs = d / 2
        for row in 0..<rows {
            for head in 0..<heads {
                let v = buffer.pointer + (row * heads + head) * d
                for pair in 0..<pairs {
                    let cosine = table[(row * pairs + pair) * 2], sine = table[(row * pairs + pair) * 2 + 1]
                    let x0 = v[2 * pair], x1 = v[2 * pair + 1]
                    // x₀·cos rounds once with the rounded x₁·sin (x₀·sin with x₁·cos), as
                    // llama.cpp's compiled rotation does.
                    v[2 * pair] = (-(x1 * sine)).addingProduct(x0, cosine)
                    v[2 * pair + 1] = (x1 * cosine).addingProduct(x0, sine)
                }
            }
        }
    }

    /// Causal grouped-query attention of `rows` new queries against every cached position up to
    /// their own. Work items are (row, head) pairs; each is computed entirely by one thread.
    ///
    /// The order of operations is llama.cpp's without flash attention: each score is a 64-lane
    /// dot product (`ReferenceArithmetic.dot`) scaled by 1/√d; the exponentials
    /// (`ReferenceArithmetic.exp` of score − maximum) are summed 16 positions at a time as a tree
    /// in single precision, and those partial sums in double; each weight is the exponential
    /// times the single-precision inverse of the sum; each output dimension is again a 64-lane dot
    /// product, over the positions, of the weights and that dimension of the values.
    private func attend(
        _ query: FloatBuffer, cache: KeyValueCache, layer: Int, start: Int, rows: Int,
        into output: FloatBuffer, runner: ParallelRunner
    ) {
        let c = configuration
        let d = c.headDimension
        precondition(d % 64 == 0, "head dimension \(d) is not a multiple of 64")
        let group = c.heads / c.keyValueHeads
        let scale = 1 / Float(d).squareRoot()
        let width = c.keyValueDimension
        let shared = LLMPointers(input: query.pointer, output: output.pointer)
        let padded = (start + rows + 63) / 64 * 64
        cache.keys[layer].withUnsafeBufferPointer { keys in
            cache.values[layer].withUnsafeBufferPointer { values in
                let cached = LLMPointers(input: keys.baseAddress!, output: UnsafeMutablePointer(mutating: values.baseAddress!))
                runner.forEachRange(rows * c.heads) { items in
                    var weights = [Float](repeating: 0, count: padded)
                    var lanes = [Float](repeating: 0, count: 64 * d)
                    weights.withUnsafeMutableBufferPointer { weightBuffer in
                        lanes.withUnsafeMutableBufferPointer { laneBuffer in
                            let scores = weightBuffer.baseAddress!
                            let accumulators = laneBuffer.baseAddress!
                            for item in items {
                                let row = item / c.heads, head = item % c.heads
                                let kvHead = head / group
                                let q = shared.input + (row * c.heads + head) * d
                                let visible = start + row + 1
                                var maximum = -Float.infinity
                                for position in 0..<visible {
                                    let k = cached.input + position * width + kvHead * d
                                    scores[position] = ReferenceArithmetic.dot(k, q, count: d) * scale
                                    maximum = max(maximum, scores[position])
                                }
                                for position in visible..<padded { scores[position] = 0 }
                                for position in 0..<visible {
                                    scores[position] = ReferenceArithmetic.exp(scores[position] - maximum)
                                }
                                var sum = 0.0
                                for chunk in stride(from: 0, to: padded, by: 16) {
                                    let partial = UnsafeRawPointer(scores + chunk).loadUnaligned(as: SIMD16<Float>.self)
                                    sum += Double(ReferenceArithmetic.treeSum(partial))
                                }
                                let inverse = Float(1 / sum)
                                for position in 0..<visible { scores[position] *= inverse }
                                // accumulators[lane·d + i]: lane = position mod 64, i = output dimension.
                                accumulators.update(repeating: 0, count: 64 * d)
                                for position in 0..<visible {
                                    let p = scores[position]
                                    let v = UnsafePointer(cached.output) + position * width + kvHead * d
                                    let target = accumulators + (position % 64) * d
                                    for i in 0..<d { target[i] = target[i].addingProduct(p, v[i]) }
                                }
                                let out = shared.output + (row * c.heads + head) * d
                                for i in 0..<d {
                                    var lane = SIMD16<Float>()
                                    for l in 0..<16 {
                                        let a0 = accumulators[l * d + i], a1 = accumulators[(16 + l) * d + i]
                                        let a2 = accumulators[(32 + l) * d + i], a3 = accumulators[(48 + l) * d + i]
                                        lane[l] = (a0 + a2) + (a1 + a3)
                                    }
                                    out[i] = ReferenceArithmetic.treeSum(lane)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
