import Testing
@testable import Inference
import TestSupport

/// GGML block layouts and the quantised matrix product, against values worked out here.
@Suite struct QuantizedMatrixTests {
    static func half(_ value: Float) -> [UInt8] {
        withUnsafeBytes(of: Float16(value).bitPattern.littleEndian) { Array($0) }
    }

    @Test func q4_1BlocksStoreElementJInTheLowNibbleAndJPlus16InTheHigh() {
        // d = 0.5, m = −1; byte j holds j (low) and 15 − j (high).
        let block = Self.half(0.5) + Self.half(-1) + (0..<16).map { UInt8($0) | UInt8(15 - $0) << 4 }
        let values = block.withUnsafeBytes { GGMLBlocks.dequantize(.q4_1, $0, count: 32) }
        for j in 0..<16 {
            #expect(values[j] == 0.5 * Float(j) - 1)
            #expect(values[j + 16] == 0.5 * Float(15 - j) - 1)
        }
    }

    @Test func q8_0AndQ4_0BlocksDequantiseWithTheirScale() {
        let q8 = Self.half(0.25) + (0..<32).map { UInt8(bitPattern: Int8($0 - 16)) }
        let values = q8.withUnsafeBytes { GGMLBlocks.dequantize(.q8_0, $0, count: 32) }
        #expect(values == (0..<32).map { 0.25 * Float($0 - 16) })
        let q4 = Self.half(2) + (0..<16).map { _ in UInt8(0x9F) }  // low nibble 15, high 9; offset 8
        let fours = q4.withUnsafeBytes { GGMLBlocks.dequantize(.q4_0, $0, count: 32) }
        #expect(fours == Array(repeating: 14, count: 16) + Array(repeating: 2, count: 16))
        let halves = (Self.half(1.5) + Self.half(-0.125)).withUnsafeBytes { GGMLBlocks.dequantize(.f16, $0, count: 2) }
        #expect(halves == [1.5, -0.125])
    }

    @Test func activationsRoundHalfToEvenOnTheScaleOfTheBlockMaximum() {
        var x = [Float](repeating: 0, count: 32)
        x[0] = 127; x[1] = 63.5; x[2] = 0.5; x[3] = -0.5; x[4] = 1.5; x[5] = 2.5; x[6] = -127; x[7] = -3.5
        let q = QuantizedActivations(x, rows: 1, columns: 32, withSums: true)
        #expect(Array(q.values[0..<8]) == [127, 64, 0, 0, 2, 2, -127, -4])
        #expect(q.scales[0] == 1)
        #expect(q.sums[0] == Float(127 + 64 + 2 + 2 - 127 - 4))
        let zero = QuantizedActivations([Float](repeating: 0, count: 32), rows: 1, columns: 32, withSums: false)
        #expect(zero.values.allSatisfy { $0 == 0 } && zero.scales == [0])
    }

    /// A random Q4_1 or Q8_0 matrix as GGUF bytes.
    static func randomMatrix(_ type: GGMLType, rows: Int, columns: Int, random: inout SplitMix64) -> [UInt8] {
        var bytes: [UInt8] = []
        for _ in 0..<(rows * columns / 32) {
            bytes += half(Float(random.next() % 1000 + 1) / 8000)
            if type == .q4_1 { bytes += half(-Float(random.next() % 1000) / 10000) }
            let payload = type == .q4_1 ? 16 : 32
            for _ in 0..<payload { bytes.append(UInt8(truncatingIfNeeded: random.next())) }
        }
        return bytes
    }

    @Test(arguments: [GGMLType.q4_1, .q8_0])
    func productsStayWithinTheActivationRoundingBoundAndDoNotDependOnBatchOrThreads(type: GGMLType) throws {
        var random = SplitMix64(seed: 17)
        let rows = 96, columns = 160, count = 5
        let bytes = Self.randomMatrix(type, rows: rows, columns: columns, random: &random)
        let info = GGUFTensorInfo(name: "w", shape: [columns, rows], type: type, offset: 0, byteCount: bytes.count)
        let matrix = try bytes.withUnsafeBytes { raw in try QuantizedMatrix(tensor: info, data: raw) }
        let weights = bytes.withUnsafeBytes { GGMLBlocks.dequantize(type, $0, count: rows * columns) }
        let input = (0..<(count * columns)).map { _ in Float(Int(random.next() % 20001) - 10000) / 1000 }
        var batched = [Float](repeating: 0, count: count * rows)
        matrix.multiply(input, count: count, into: &batched, runner: ParallelRunner(threads: 1))
        var threaded = [Float](repeating: 0, count: count * rows)
        matrix.multiply(input, count: count, into: &threaded, runner: ParallelRunner(threads: 3))
        #expect(threaded == batched)
        for r in 0..<count {
            var single = [Float](repeating: 0, count: rows)
            Array(input[(r * columns)..<((r + 1) * columns)]).withUnsafeBufferPointer { row in
                matrix.multiply(row.baseAddress!, count: 1, into: &single, runner: ParallelRunner(threads: 2))
            }
            #expect(single == Array(batched[(r * rows)..<((r + 1) * rows)]))
            for j in 0..<rows {
                // Exact product in double, and the bound on what 8-bit inputs may change: each input
                // moves by at most half a step (max|x|/127/2) plus the half-precision rounding of the
                // block's scale and sum (relative 2⁻¹¹; Q4_1's minimums are at most 0.1 here).
                var exact = 0.0, bound = 1e-4
                for b in 0..<(columns / 32) {
                    let block = (0..<32).map { r * columns + b * 32 + $0 }
                    let step = Double(block.map { abs(input[$0]) }.max()!) / 127
                    for k in block {
                        let w = Double(weights[j * columns + k - r * columns])
                        exact += w * Double(input[k])
                        bound += abs(w) * step / 2 + (abs(w) + 0.1) * abs(Double(input[k])) / 2048
                    }
                }
                #expect(abs(Double(batched[r * rows + j]) - exact) <= bound)
            }
        }
    }
}
