import Testing
@testable import Inference

/// The blocked, threaded matrix multiply gives exactly the bits of the plain definition: for each
/// output, bias then one fused multiply-add per input in ascending order.
@Suite struct LinearKernelTests {
    @Test(arguments: [1, 3, 4, 7, 13], [1, 2, 3])
    func blockedMultiplyEqualsTheSequentialFusedDefinition(rows: Int, threads: Int) throws {
        let inputs = 200, outputs = 192
        var generator = SplitMix(seed: UInt64(rows * 31 + threads))
        let weights = (0..<(inputs * outputs)).map { _ in generator.nextFloat() }
        let bias = (0..<outputs).map { _ in generator.nextFloat() }
        let input = (0..<(rows * inputs)).map { _ in generator.nextFloat() }
        let layer = try weights.withUnsafeBufferPointer { w in
            try bias.withUnsafeBufferPointer { b in try PackedLinear(weights: [w], biases: [b], inputs: inputs) }
        }
        let output = FloatBuffer(count: rows * outputs)
        let shared = FloatBuffer(count: rows * inputs)
        shared.pointer.update(from: input, count: input.count)
        ParallelRunner(threads: threads).forEachRange(layer.panelCount) { panels in
            layer.multiply(shared.pointer, rows: rows, into: output.pointer, panels: panels, epilogue: .none)
        }
        for row in 0..<rows {
            for column in 0..<outputs {
                var sum = bias[column]
                for k in 0..<inputs {
                    sum = sum.addingProduct(input[row * inputs + k], weights[column * inputs + k])
                }
                #expect(output.pointer[row * outputs + column].bitPattern == sum.bitPattern)
            }
        }
    }
}

/// A small deterministic generator for test data.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [−1, 1).
    mutating func nextFloat() -> Float {
        Float(next() >> 40) / Float(1 << 23) - 1
    }
}
