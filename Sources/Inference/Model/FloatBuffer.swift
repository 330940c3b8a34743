/// A zero-initialised heap buffer for activations and scratch space. Shared with worker threads
/// that each write disjoint parts of it, hence `@unchecked Sendable`.
final class ScalarBuffer<Scalar: BinaryFloatingPoint>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Scalar>
    let count: Int

    init(count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    deinit {
        pointer.deallocate()
    }
}

typealias FloatBuffer = ScalarBuffer<Float>
typealias DoubleBuffer = ScalarBuffer<Double>
