import Foundation
import Testing
@testable import Inference

/// The engine's own exp, erf and GELU against the platform's libm (used here only as a yardstick).
@Suite struct PortableMathTests {
    static let points = stride(from: -30.0, through: 30.0, by: 0.0137).map { $0 }

    @Test func expMatchesLibmToTwoUnitsInTheLastPlace() {
        for x in Self.points + [-700, -100, 0, 1e-9, 88, 700] {
            let expected = Foundation.exp(x)
            #expect(abs(PortableMath.exp(x) - expected) <= 2 * expected.ulp, "exp(\(x))")
        }
        #expect(PortableMath.exp(-800) == 0)
        #expect(PortableMath.exp(800) == .infinity)
    }

    @Test func erfMatchesLibmWithinTenPerTrillion() {
        for x in Self.points {
            #expect(abs(PortableMath.erf(x) - Foundation.erf(x)) <= 1e-11, "erf(\(x))")
        }
    }

    /// Within one float ulp of the exact value, or 1e-10 absolute where the value itself is small
    /// (x below −4.9, where gelu is under 3e-6 and erf's own error, up to 1e-11, dominates).
    @Test func geluTablesMatchTheExactFormulaToFloatPrecision() {
        let inputs = stride(from: Float(-12), through: 12, by: 0.000_731).map { $0 }
        let values = UnsafeMutableBufferPointer<Float>.allocate(capacity: inputs.count)
        defer { values.deallocate() }
        _ = values.initialize(from: inputs)
        GELU.apply(values)
        for (x, value) in zip(inputs, values) {
            let exact = 0.5 * Double(x) * (1 + Foundation.erf(Double(x) / 2.0.squareRoot()))
            #expect(abs(Double(value) - exact) <= max(Double(Float(exact).ulp), 1e-10), "gelu(\(x))")
        }
    }
}
