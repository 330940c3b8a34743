/// What happens to a finished output tile of a linear layer.
enum LinearEpilogue: @unchecked Sendable {
    case none
    /// Apply GELU to every output.
    case gelu
    /// Add a residual matrix of the output's shape (one float addition per output).
    case addResidual(UnsafePointer<Float>)
}

extension PackedLinear {
    /// Rows of the input processed together by the register-blocked kernel.
    private static let rowBlock = 4
    /// Inputs processed per pass over a panel, so that the panel slice stays in the L1 cache.
    private static let depthBlock = 128

    /// `output[r][j] = bias[j] + Σₖ input[r][k]·W[j][k]`, then the epilogue, for `rows` rows and
    /// the output columns of `panels` (64 each); the caller splits panels across threads.
    ///
    /// Every output is one chain of fused multiply-adds over k in ascending order, starting from
    /// the bias; blocking, vector width and threading only decide which outputs are computed
    /// together, never the order of an output's own operations.
    func multiply(
        _ input: UnsafePointer<Float>, rows: Int, into output: UnsafeMutablePointer<Float>,
        panels: some Sequence<Int>, epilogue: LinearEpilogue
    ) {
        for panel in panels {
            multiplyPanel(panel, input, rows: rows, output, epilogue: epilogue)
        }
    }

    private func multiplyPanel(
        _ panel: Int, _ input: UnsafePointer<Float>, rows: Int,
        _ output: UnsafeMutablePointer<Float>, epilogue: LinearEpilogue
    ) {
        let column = panel * Self.panelWidth
        panels.withUnsafeBufferPointer { packed in
            bias.withUnsafeBufferPointer { bias in
                let panelBase = packed.baseAddress! + panel * inputs * Self.panelWidth
                let biasBase = bias.baseAddress! + column
                for depth in stride(from: 0, to: inputs, by: Self.depthBlock) {
                    let depthRange = depth..<min(inputs, depth + Self.depthBlock)
                    var row = 0
                    while row + Self.rowBlock <= rows {
                        kernel4(input + row * inputs, panelBase, depthRange, output + row * outputs + column, biasBase)
                        row += Self.rowBlock
                    }
                    while row < rows {
                        kernel1(input + row * inputs, panelBase, depthRange, output + row * outputs + column, biasBase)
                        row += 1
                    }
                }
            }
        }
        finish(rows: rows, column: column, output, epilogue)
    }

    private func finish(rows: Int, column: Int, _ output: UnsafeMutablePointer<Float>, _ epilogue: LinearEpilogue) {
        switch epilogue {
        case .none:
            break
        case .gelu:
            for row in 0..<rows {
                GELU.apply(UnsafeMutableBufferPointer(start: output + row * outputs + column, count: Self.panelWidth))
            }
        case .addResidual(let residual):
            for row in 0..<rows {
                let target = output + row * outputs + column
                let source = residual + row * outputs + column
                for j in 0..<Self.panelWidth { target[j] += source[j] }
            }
        }
    }

    @inline(__always)
    private func kernel4(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ depth: Range<Int>,
        _ c: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>
    ) {
        let a0 = a, a1 = a + inputs, a2 = a + 2 * inputs, a3 = a + 3 * inputs
        let c0 = c, c1 = c + outputs, c2 = c + 2 * outputs, c3 = c + 3 * outputs
        let start = depth.lowerBound == 0
        var s00 = start ? load(bias, 0) : load(c0, 0), s01 = start ? load(bias, 16) : load(c0, 16)
        var s02 = start ? load(bias, 32) : load(c0, 32), s03 = start ? load(bias, 48) : load(c0, 48)
        var s10 = start ? load(bias, 0) : load(c1, 0), s11 = start ? load(bias, 16) : load(c1, 16)
        var s12 = start ? load(bias, 32) : load(c1, 32), s13 = start ? load(bias, 48) : load(c1, 48)
        var s20 = start ? load(bias, 0) : load(c2, 0), s21 = start ? load(bias, 16) : load(c2, 16)
        var s22 = start ? load(bias, 32) : load(c2, 32), s23 = start ? load(bias, 48) : load(c2, 48)
        var s30 = start ? load(bias, 0) : load(c3, 0), s31 = start ? load(bias, 16) : load(c3, 16)
        var s32 = start ? load(bias, 32) : load(c3, 32), s33 = start ? load(bias, 48) : load(c3, 48)
        for k in depth {
            let w = b + k * Self.panelWidth
            let w0 = load(w, 0), w1 = load(w, 16), w2 = load(w, 32), w3 = load(w, 48)
            let x0 = SIMD16(repeating: a0[k]), x1 = SIMD16(repeating: a1[k])
            let x2 = SIMD16(repeating: a2[k]), x3 = SIMD16(repeating: a3[k])
            s00.addProduct(x0, w0); s01.addProduct(x0, w1); s02.addProduct(x0, w2); s03.addProduct(x0, w3)
            s10.addProduct(x1, w0); s11.addProduct(x1, w1); s12.addProduct(x1, w2); s13.addProduct(x1, w3)
            s20.addProduct(x2, w0); s21.addProduct(x2, w1); s22.addProduct(x2, w2); s23.addProduct(x2, w3)
            s30.addProduct(x3, w0); s31.addProduct(x3, w1); s32.addProduct(x3, w2); s33.addProduct(x3, w3)
        }
        store(s00, c0, 0); store(s01, c0, 16); store(s02, c0, 32); store(s03, c0, 48)
        store(s10, c1, 0); store(s11, c1, 16); store(s12, c1, 32); store(s13, c1, 48)
        store(s20, c2, 0); store(s21, c2, 16); store(s22, c2, 32); store(s23, c2, 48)
        store(s30, c3, 0); store(s31, c3, 16); store(s32, c3, 32); store(s33, c3, 48)
    }

    @inline(__always)
    private func kernel1(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ depth: Range<Int>,
        _ c: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>
    ) {
        let start = depth.lowerBound == 0
        var s0 = start ? load(bias, 0) : load(c, 0), s1 = start ? load(bias, 16) : load(c, 16)
        var s2 = start ? load(bias, 32) : load(c, 32), s3 = start ? load(bias, 48) : load(c, 48)
        for k in depth {
            let w = b + k * Self.panelWidth
            let x = SIMD16(repeating: a[k])
            s0.addProduct(x, load(w, 0)); s1.addProduct(x, load(w, 16))
            s2.addProduct(x, load(w, 32)); s3.addProduct(x, load(w, 48))
        }
        store(s0, c, 0); store(s1, c, 16); store(s2, c, 32); store(s3, c, 48)
    }
}

@inline(__always)
func load(_ pointer: UnsafePointer<Float>, _ offset: Int) -> SIMD16<Float> {
    UnsafeRawPointer(pointer + offset).loadUnaligned(as: SIMD16<Float>.self)
}

@inline(__always)
func load(_ pointer: UnsafeMutablePointer<Float>, _ offset: Int) -> SIMD16<Float> {
    UnsafeRawPointer(pointer + offset).loadUnaligned(as: SIMD16<Float>.self)
}

@inline(__always)
func store(_ value: SIMD16<Float>, _ pointer: UnsafeMutablePointer<Float>, _ offset: Int) {
    UnsafeMutableRawPointer(pointer + offset).storeBytes(of: value, as: SIMD16<Float>.self)
}
