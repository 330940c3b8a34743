/// A weight matrix of a GGUF model, kept in its file's quantisation with the 4-bit values
/// unpacked to one byte each, multiplied the way llama.cpp's CPU backend does: the input rows are
/// quantised to 8 bits per block of 32 (Q8_1 against Q4_1 weights, Q8_0 against Q8_0 weights),
/// each block gives 8 exact integer partial sums (`laneDots`), and each of the 8 lanes is
/// accumulated over the blocks in ascending order with fused multiply-adds, as llama.cpp's AVX2
/// block products do; the lanes are then added as a tree. Float and half weights are dequantised to `Float` and
/// multiplied in single precision. Every output is one fixed chain of operations, whatever the
/// thread count or the number of rows multiplied together.
struct QuantizedMatrix: Sendable {
    enum Format: Sendable { case q4_1, q8_0, dense }

    static let blockSize = 32

    /// Outputs (GGML's `shape[1]`).
    let rows: Int
    /// Inputs (GGML's `shape[0]`).
    let columns: Int
    let format: Format
    /// `rows × columns` quantised values (0…15 for Q4_1, −128…127 for Q8_0), each block of 32
    /// in lane order (`laneOrder`); empty for dense.
    let values: [Int8]
    /// One scale per block of 32 values, row-major; empty for dense.
    let scales: [Float]
    /// One minimum per block (Q4_1 only).
    let minimums: [Float]
    /// `rows × columns` floats (dense only).
    let dense: [Float]

    var blocksPerRow: Int { columns / Self.blockSize }

    init(tensor: GGUFTensorInfo, data: UnsafeRawBufferPointer) throws(GGUFError) {
        guard tensor.shape.count == 2 else {
            throw .unexpectedTensorShape(tensor: tensor.name, shape: tensor.shape, expected: [-1, -1])
        }
        columns = tensor.shape[0]
        rows = tensor.shape[1]
        let count = rows * columns
        switch tensor.type {
        case .q4_1:
            format = .q4_1
            var values = [Int8](repeating: 0, count: count)
            var scales = [Float](repeating: 0, count: count / Self.blockSize)
            var minimums = scales
            for block in 0..<(count / Self.blockSize) {
                let base = block * 20
                scales[block] = GGMLBlocks.half(data, base)
                minimums[block] = GGMLBlocks.half(data, base + 2)
                for j in 0..<16 {
                    let byte = data[base + 4 + j]
                    values[block * 32 + Self.laneOrder(j)] = Int8(byte & 0x0F)
                    values[block * 32 + Self.laneOrder(j + 16)] = Int8(byte >> 4)
                }
            }
            self.values = values
            self.scales = scales
            self.minimums = minimums
            dense = []
        case .q8_0:
            format = .q8_0
            var values = [Int8](repeating: 0, count: count)
            var scales = [Float](repeating: 0, count: count / Self.blockSize)
            for block in 0..<(count / Self.blockSize) {
                let base = block * 34
                scales[block] = GGMLBlocks.half(data, base)
                for j in 0..<32 { values[block * 32 + Self.laneOrder(j)] = Int8(bitPattern: data[base + 2 + j]) }
            }
            self.values = values
            self.scales = scales
            minimums = []
            dense = []
        case .f32, .f16, .bf16, .q4_0:
            format = .dense
            dense = GGMLBlocks.dequantize(tensor.type, data, count: count)
            values = []
            scales = []
            minimums = []
        }
        guard format == .dense || columns % Self.blockSize == 0 else { throw .invalidTensorShape(tensor.name) }
    }

    /// Row `row` as floats, exactly as the file defines it (`d·q + m`, `d·q`, or the value).
    func dequantizedRow(_ row: Int) -> [Float] {
        switch format {
        case .dense:
            return Array(dense[(row * columns)..<((row + 1) * columns)])
        case .q4_1, .q8_0:
            return (0..<columns).map { k in
                let index = row * columns + k
                let block = index / Self.blockSize
                let scaled = scales[block] * Float(values[block * Self.blockSize + Self.laneOrder(index % Self.blockSize)])
                return format == .q4_1 ? scaled + minimums[block] : scaled
            }
        }
    }

    /// `output[r·rows + j] = Σₖ W[j][k]·input[r·columns + k]` for `count` input rows.
    func multiply(
        _ input: UnsafePointer<Float>, count: Int, into output: UnsafeMutablePointer<Float>,
        runner: ParallelRunner
    ) {
        let shared = LLMPointers(input: input, output: output)
        switch format {
        case .dense:
            runner.forEachRange(rows) { range in
                dense.withUnsafeBufferPointer { weights in
                    for j in range {
                        let w = weights.baseAddress! + j * columns
                        for r in 0..<count {
                            let x = shared.input + r * columns
                            var sum: Float = 0
                            for k in 0..<columns { sum = sum.addingProduct(w[k], x[k]) }
                            shared.output[r * rows + j] = sum
                        }
                    }
                }
            }
        case .q4_1, .q8_0:
            let activations = QuantizedActivations(
                input, rows: count, columns: columns,
                withSums: format == .q4_1)
            runner.forEachRange(rows) { range in
                multiplyRows(range, activations, shared.output)
            }
        }
    }

    private func multiplyRows(_ range: Range<Int>, _ x: QuantizedActivations, _ output: UnsafeMutablePointer<Float>) {
        let blocks = blocksPerRow
        values.withUnsafeBufferPointer { values in
            scales.withUnsafeBufferPointer { scales in
                minimums.withUnsafeBufferPointer { minimums in
                    x.laneOrdered.withUnsafeBufferPointer { xValues in
                        x.scales.withUnsafeBufferPointer { xScales in
                            x.sums.withUnsafeBufferPointer { xSums in
                                for j in range {
                                    let w = values.baseAddress! + j * columns
                                    let wScales = scales.baseAddress! + j * blocks
                                    for r in 0..<x.rows {
                                        let a = xValues.baseAddress! + r * columns
                                        let aScales = xScales.baseAddress! + r * blocks
                                        var lanes = SIMD8<Float>()
                                        for b in 0..<blocks {
                                            let scale = SIMD8<Float>(repeating: wScales[b] * aScales[b])
                                            lanes = lanes.addingProduct(scale, SIMD8<Float>(Self.laneDots(w + b * 32, a + b * 32)))
                                        }
                                        var offsetSum: Float = 0
                                        if format == .q4_1 {
                                            // m·s: two half-precision values, so each product is exact.
                                            let wMinimums = minimums.baseAddress! + j * blocks
                                            let aSums = xSums.baseAddress! + r * blocks
                                            for b in 0..<blocks { offsetSum = offsetSum.addingProduct(wMinimums[b], aSums[b]) }
                                        }
                                        output[r * rows + j] = ReferenceArithmetic.treeSum(lanes) + offsetSum
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Where element e of a block of 32 is kept: position (e mod 4)·8 + e/4, so that the 8
    /// elements 4l+k (l = 0…7) of each k are adjacent and `laneDots` adds whole vectors.
    @inline(__always)
    static func laneOrder(_ element: Int) -> Int { (element % 4) * 8 + element / 4 }

    /// The 8 exact integer partial dot products of two blocks of 32 signed bytes kept in lane
    /// order: lane l holds the sum of the products of elements 4l…4l+3. llama.cpp's AVX2 block
    /// product converts these 8 lanes to float, scales them by the two blocks' scales and
    /// accumulates each lane across the blocks with fused multiply-adds, then adds the lanes as a
    /// tree (`treeSum`): the engine computes the same lanes, so the rounding is the same.
    @inline(__always)
    static func laneDots(_ w: UnsafePointer<Int8>, _ x: UnsafePointer<Int8>) -> SIMD8<Int32> {
        let rw = UnsafeRawPointer(w), rx = UnsafeRawPointer(x)
        var sum = SIMD8<Int32>()
        for k in 0..<4 {
            let a = SIMD8<Int32>(truncatingIfNeeded: rw.loadUnaligned(fromByteOffset: 8 * k, as: SIMD8<Int8>.self))
            let b = SIMD8<Int32>(truncatingIfNeeded: rx.loadUnaligned(fromByteOffset: 8 * k, as: SIMD8<Int8>.self))
            sum &+= a &* b
        }
        return sum
    }
}

/// Input rows quantised to 8 bits per block of 32, as llama.cpp's x86 code does before a
/// quantised matrix multiply: d = max|x|/127 (stored as half), q = round-half-even(x·127/max|x|),
/// and for Q8_1 also s = half(d·Σq).
struct QuantizedActivations {
    let rows: Int
    /// The 8-bit values in element order.
    let values: [Int8]
    /// The same values, each block in `QuantizedMatrix.laneOrder`.
    let laneOrdered: [Int8]
    let scales: [Float]
    let sums: [Float]

    init(_ input: UnsafePointer<Float>, rows: Int, columns: Int, withSums: Bool) {
        self.rows = rows
        let blocks = rows * columns / QuantizedMatrix.blockSize
        var values = [Int8](repeating: 0, count: rows * columns)
        var laneOrdered = values
        var scales = [Float](repeating: 0, count: blocks)
        var sums = [Float](repeating: 0, count: withSums ? blocks : 0)
        for block in 0..<blocks {
            let x = input + block * 32
            var maximum: Float = 0
            for k in 0..<32 { maximum = max(maximum, abs(x[k])) }
            let d = maximum / 127
            let inverse: Float = maximum != 0 ? 127 / maximum : 0
            var total: Int32 = 0
            for k in 0..<32 {
                let q = Int8((x[k] * inverse).rounded(.toNearestOrEven))
                values[block * 32 + k] = q
                laneOrdered[block * 32 + QuantizedMatrix.laneOrder(k)] = q
                total += Int32(q)
            }
            scales[block] = Float(Float16(d))
            if withSums { sums[block] = Float(Float16(d * Float(total))) }
        }
        self.values = values
        self.laneOrdered = laneOrdered
        self.scales = scales
        self.sums = sums
    }
}

/// Raw pointers handed to worker threads, each writing a disjoint set of outputs.
struct LLMPointers: @unchecked Sendable {
    let input: UnsafePointer<Float>
    let output: UnsafeMutablePointer<Float>
}

/// Block layouts of GGML's quantisation types: decoding their half-precision fields and
/// dequantising whole tensors.
enum GGMLBlocks {
    static func half(_ data: UnsafeRawBufferPointer, _ offset: Int) -> Float {
        Float(Float16(bitPattern: data.loadUnaligned(fromByteOffset: offset, as: UInt16.self).littleEndian))
    }

    /// All `count` elements of a tensor of `type`, in file order.
    static func dequantize(_ type: GGMLType, _ data: UnsafeRawBufferPointer, count: Int) -> [Float] {
        var result = [Float](repeating: 0, count: count)
        switch type {
        case .f32:
            for i in 0..<count {
                result[i] = Float(bitPattern: data.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self).littleEndian)
            }
        case .f16:
            for i in 0..<count { result[i] = half(data, 2 * i) }
        case .bf16:
            for i in 0..<count {
                let raw = UInt32(data.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self).littleEndian)
                result[i] = Float(bitPattern: raw << 16)
            }
        case .q4_0, .q4_1, .q8_0:
            let (_, bytes) = type.block
            for block in 0..<(count / 32) {
                let base = block * bytes
                let d = half(data, base)
                switch type {
                case .q8_0:
                    for j in 0..<32 { result[block * 32 + j] = d * Float(Int8(bitPattern: data[base + 2 + j])) }
                case .q4_1:
                    let m = half(data, base + 2)
                    for j in 0..<16 {
                        let byte = data[base + 4 + j]
                        result[block * 32 + j] = d * Float(byte & 0x0F) + m
                        result[block * 32 + j + 16] = d * Float(byte >> 4) + m
                    }
                default:  // Q4_0: values offset by 8, no minimum
                    for j in 0..<16 {
                        let byte = data[base + 2 + j]
                        result[block * 32 + j] = d * Float(Int(byte & 0x0F) - 8)
                        result[block * 32 + j + 16] = d * Float(Int(byte >> 4) - 8)
                    }
                }
            }
        }
        return result
    }
}
