import Testing
@testable import Inference

/// The eight-lane paths of exp (softmax) and GELU give exactly the bits of the scalar paths they
/// replace, in range, at the edges of their ranges and outside them (where they fall back).
@Suite struct VectorMathTests {
    static let edges: [Double] = [
        -.infinity, -800, -745.3, -745.1, -709, -708.0000001, -708, -707.9, -100, -1e-300, -0.0, 0, 1e-300,
        0.5, 1, 88.7, 708.9, 709, 709.0000001, 709.5, 709.8, 800, .infinity, .nan
    ]

    @Test func exp8EqualsExpLaneByLane() {
        var generator = SplitMix(seed: 8)
        let random = (0..<4000).map { _ in Double(generator.nextFloat()) * 40 }  // softmax's range: [−40, 40)
        let inputs = random + Self.edges + Self.edges.reversed()
        for start in stride(from: 0, to: inputs.count - 7, by: 8) {
            let x = SIMD8<Double>((0..<8).map { inputs[start + $0] })
            let vector = PortableMath.exp8(x)
            for lane in 0..<8 {
                #expect(vector[lane].bitPattern == PortableMath.exp(x[lane]).bitPattern, "exp(\(x[lane]))")
            }
        }
    }

    /// `GELU.apply` on one value takes the scalar path; on longer buffers, eight lanes at a time.
    @Test func geluOfABufferEqualsGeluOfEachValueAlone() {
        var generator = SplitMix(seed: 9)
        var inputs = (0..<4000).map { _ in generator.nextFloat() * 12 }  // [−12, 12): the table's edges and beyond
        inputs += [-8, -7.999_999, -0.0, 0, 7.999_999, 8, 1e30, -1e30, .infinity, -.infinity, .nan, 3]
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: inputs.count)
        defer { buffer.deallocate() }
        _ = buffer.initialize(from: inputs)
        GELU.apply(buffer)
        for (x, value) in zip(inputs, buffer) {
            var alone = x
            withUnsafeMutablePointer(to: &alone) { GELU.apply(UnsafeMutableBufferPointer(start: $0, count: 1)) }
            #expect(value.bitPattern == alone.bitPattern, "gelu(\(x))")
        }
    }
}
