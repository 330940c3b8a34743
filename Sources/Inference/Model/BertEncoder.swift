/// The BERT forward pass with mean pooling and L2 normalisation, for a batch of token-id
/// sequences. The sequences' rows are stacked without padding: linear layers and layer norms
/// treat every row on its own, attention sees one sequence at a time. Output bits therefore do
/// not depend on the batch, the thread count or the order of work.
struct BertEncoder: Sendable {
    let weights: BertWeights

    /// One unit-length embedding (double precision) per sequence. Ids must be below the
    /// vocabulary size and sequences 1…512 tokens long (the caller's tokenizer guarantees both).
    func embed(_ sequences: [[Int32]], runner: ParallelRunner) -> [[Double]] {
        let hidden = BertShape.hidden
        let offsets = sequences.reduce(into: [0]) { $0.append($0.last! + $1.count) }
        let rows = offsets.last!
        let state = FloatBuffer(count: rows * hidden)
        let attended = FloatBuffer(count: rows * hidden)
        let qkv = FloatBuffer(count: rows * 3 * hidden)
        let context = FloatBuffer(count: rows * hidden)
        let inner = FloatBuffer(count: rows * BertShape.intermediate)
        embedTokens(sequences, offsets: offsets, into: state, runner: runner)
        for layer in weights.layers {
            layer.queryKeyValue.multiply(state.pointer, rows: rows, into: qkv.pointer, epilogue: .none, runner: runner)
            attend(qkv: qkv, offsets: offsets, into: context, runner: runner)
            layer.attentionOutput.multiply(context.pointer, rows: rows, into: attended.pointer,
                                           epilogue: .addResidual(state.pointer), runner: runner)
            normalizeRows(attended, rows: rows, with: layer.attentionNorm, runner: runner)
            layer.intermediate.multiply(attended.pointer, rows: rows, into: inner.pointer, epilogue: .gelu, runner: runner)
            layer.output.multiply(inner.pointer, rows: rows, into: state.pointer,
                                  epilogue: .addResidual(attended.pointer), runner: runner)
            normalizeRows(state, rows: rows, with: layer.outputNorm, runner: runner)
        }
        return (0..<sequences.count).map { meanPool(state, rows: offsets[$0]..<offsets[$0 + 1]) }
    }

    /// Word + position + token-type embeddings (type 0), added in that order, then layer norm.
    private func embedTokens(_ sequences: [[Int32]], offsets: [Int], into state: FloatBuffer, runner: ParallelRunner) {
        let hidden = BertShape.hidden
        for (index, sequence) in sequences.enumerated() {
            for (position, id) in sequence.enumerated() {
                let row = state.pointer + (offsets[index] + position) * hidden
                let word = weights.wordEmbeddings.baseAddress! + Int(id) * hidden
                let place = weights.positionEmbeddings.baseAddress! + position * hidden
                for i in 0..<hidden { row[i] = word[i] + place[i] + weights.tokenTypeEmbeddings[i] }
            }
        }
        normalizeRows(state, rows: offsets.last!, with: weights.embeddingNorm, runner: runner)
    }

    private func attend(qkv: FloatBuffer, offsets: [Int], into context: FloatBuffer, runner: ParallelRunner) {
        let heads = BertShape.heads
        let units = (offsets.count - 1) * heads
        let maxLength = zip(offsets.dropFirst(), offsets).map { $0 - $1 }.max() ?? 0
        runner.forEachRange(units) { range in
            let attention = SelfAttention(maxLength: maxLength)
            for unit in range {
                let sequence = unit / heads
                let start = offsets[sequence]
                attention.run(head: unit % heads, length: offsets[sequence + 1] - start,
                              qkv: qkv.pointer + start * 3 * BertShape.hidden,
                              context: context.pointer + start * BertShape.hidden)
            }
        }
    }

    private func normalizeRows(_ buffer: FloatBuffer, rows: Int, with norm: LayerNorm, runner: ParallelRunner) {
        runner.forEachRange(rows) { range in
            for row in range { norm.normalize(row: buffer.pointer + row * BertShape.hidden) }
        }
    }

    /// Mean over the sequence's rows (double precision, ascending rows), scaled to unit length.
    private func meanPool(_ state: FloatBuffer, rows: Range<Int>) -> [Double] {
        let hidden = BertShape.hidden
        var mean = [Double](repeating: 0, count: hidden)
        for row in rows {
            for i in 0..<hidden { mean[i] += Double(state.pointer[row * hidden + i]) }
        }
        var squares = 0.0
        for i in 0..<hidden {
            mean[i] /= Double(rows.count)
            squares = squares.addingProduct(mean[i], mean[i])
        }
        let length = squares.squareRoot()
        return mean.map { $0 / length }
    }
}
