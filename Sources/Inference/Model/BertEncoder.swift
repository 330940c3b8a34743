/// The BERT forward pass with mean pooling and L2 normalisation, for a batch of token-id
/// sequences. The sequences' rows are stacked without padding: linear layers and layer norms
/// treat every row on its own, attention sees one sequence at a time. Output bits therefore do
/// not depend on the batch, the thread count or the order of work.
///
/// Each layer is four parallel steps, each ending when all its parts have finished:
/// 1. every part normalises all rows of the state into its own copy (and writes its share of
///    rows to `normalized`), then computes the query, key and value columns of its attention head
///    pairs and runs those heads' attention;
/// 2. the attention output projection, split by output columns, plus the normalised residual;
/// 3. every part normalises all rows again (its share to `attendedNormalized`), then computes its
///    columns of the feed-forward layer with GELU;
/// 4. the feed-forward output projection, split by columns, plus the residual.
/// A layer norm is cheap beside the matrix products, so computing it in every part costs less
/// than a separate parallel step, which at batch 1 is mostly the cost of waking a thread.
struct BertEncoder: Sendable {
    let weights: BertWeights

    /// One unit-length embedding (double precision) per sequence. Ids must be below the
    /// vocabulary size and sequences 1…512 tokens long (the caller's tokenizer guarantees both).
    func embed(_ sequences: [[Int32]], runner: ParallelRunner) -> [[Double]] {
        let batch = EncoderBatch(sequences: sequences, parts: min(runner.threads, BertShape.intermediate / PackedLinear.panelWidth))
        let rows = batch.rows
        runner.forEachRange(rows) { embedTokens($0, batch) }
        var norm = weights.embeddingNorm
        for layer in weights.layers {
            let stateNorm = norm
            runner.forEachPart(Self.headPairs) { part in
                let own = batch.scratch[part.index]
                normalize(batch.state, with: stateNorm, into: own, share: part.share(of: rows), of: batch.normalized, rows: rows)
                let panels = part.items.flatMap { pair in (0..<3).map { pair + $0 * Self.headPairs } }
                layer.queryKeyValue.multiply(own.pointer, rows: rows, into: batch.qkv.pointer, panels: panels, epilogue: .none)
                attend(heads: (2 * part.items.lowerBound)..<(2 * part.items.upperBound), batch)
            }
            runner.forEachRange(layer.attentionOutput.panelCount) { panels in
                layer.attentionOutput.multiply(
                    batch.context.pointer, rows: rows, into: batch.attended.pointer, panels: panels,
                    epilogue: .addResidual(batch.normalized.pointer))
            }
            runner.forEachPart(layer.intermediate.panelCount) { part in
                let own = batch.scratch[part.index]
                normalize(
                    batch.attended, with: layer.attentionNorm, into: own, share: part.share(of: rows),
                    of: batch.attendedNormalized, rows: rows)
                layer.intermediate.multiply(own.pointer, rows: rows, into: batch.inner.pointer, panels: part.items, epilogue: .gelu)
            }
            runner.forEachRange(layer.output.panelCount) { panels in
                layer.output.multiply(
                    batch.inner.pointer, rows: rows, into: batch.state.pointer, panels: panels,
                    epilogue: .addResidual(batch.attendedNormalized.pointer))
            }
            norm = layer.outputNorm
        }
        let finalNorm = norm
        runner.forEachRange(rows) { range in
            for row in range { finalNorm.normalize(row: batch.state.pointer + row * BertShape.hidden) }
        }
        return sequences.indices.map { meanPool(batch.state, rows: batch.offsets[$0]..<batch.offsets[$0 + 1]) }
    }

    /// Attention heads come in pairs that fill one 64-column panel of the fused projection.
    private static let headPairs = BertShape.hidden / PackedLinear.panelWidth

    /// Word + position + token-type embeddings (type 0), added in that order (normalised by the
    /// first layer's first step).
    private func embedTokens(_ rows: Range<Int>, _ batch: EncoderBatch) {
        let hidden = BertShape.hidden
        var sequence = 0
        for rowIndex in rows {
            while batch.offsets[sequence + 1] <= rowIndex { sequence += 1 }
            let position = rowIndex - batch.offsets[sequence]
            let row = batch.state.pointer + rowIndex * hidden
            let word = weights.wordEmbeddings.baseAddress! + Int(batch.sequences[sequence][position]) * hidden
            let place = weights.positionEmbeddings.baseAddress! + position * hidden
            for i in 0..<hidden { row[i] = word[i] + place[i] + weights.tokenTypeEmbeddings[i] }
        }
    }

    /// Layer norm of every row of `source` into `target`; the rows of `share` are also copied to `shared`.
    private func normalize(
        _ source: FloatBuffer, with norm: LayerNorm, into target: FloatBuffer,
        share: Range<Int>, of shared: FloatBuffer, rows: Int
    ) {
        let hidden = BertShape.hidden
        target.pointer.update(from: source.pointer, count: rows * hidden)
        for row in 0..<rows { norm.normalize(row: target.pointer + row * hidden) }
        (shared.pointer + share.lowerBound * hidden).update(
            from: target.pointer + share.lowerBound * hidden,
            count: share.count * hidden)
    }

    /// Attention of `heads` over every sequence of the batch.
    private func attend(heads: Range<Int>, _ batch: EncoderBatch) {
        let attention = SelfAttention(maxLength: batch.maxLength)
        for head in heads {
            for sequence in batch.sequences.indices {
                let start = batch.offsets[sequence]
                attention.run(
                    head: head, length: batch.offsets[sequence + 1] - start,
                    qkv: batch.qkv.pointer + start * 3 * BertShape.hidden,
                    context: batch.context.pointer + start * BertShape.hidden)
            }
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

/// One batch's token ids, row offsets and activation buffers (stacked rows, no padding).
private struct EncoderBatch: Sendable {
    let sequences: [[Int32]]
    /// Sequence s owns rows offsets[s]..<offsets[s + 1].
    let offsets: [Int]
    let rows: Int
    let maxLength: Int
    /// The residual stream before each layer's last layer norm (which the next step applies).
    let state: FloatBuffer
    let normalized: FloatBuffer
    let qkv: FloatBuffer
    let context: FloatBuffer
    let attended: FloatBuffer
    let attendedNormalized: FloatBuffer
    let inner: FloatBuffer
    /// One normalised copy of all rows per part of a parallel step.
    let scratch: [FloatBuffer]

    init(sequences: [[Int32]], parts: Int) {
        let hidden = BertShape.hidden
        self.sequences = sequences
        offsets = sequences.reduce(into: [0]) { $0.append($0.last! + $1.count) }
        rows = offsets.last!
        maxLength = sequences.map(\.count).max() ?? 0
        state = FloatBuffer(count: rows * hidden)
        normalized = FloatBuffer(count: rows * hidden)
        qkv = FloatBuffer(count: rows * 3 * hidden)
        context = FloatBuffer(count: rows * hidden)
        attended = FloatBuffer(count: rows * hidden)
        attendedNormalized = FloatBuffer(count: rows * hidden)
        inner = FloatBuffer(count: rows * BertShape.intermediate)
        let count = rows * hidden
        scratch = (0..<max(parts, 1)).map { _ in FloatBuffer(count: count) }
    }
}
