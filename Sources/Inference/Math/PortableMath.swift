/// `exp` and `erf` in double precision, written out with a fixed sequence of IEEE operations
/// (fused multiply-adds where stated) so that every machine and build produces the same bits.
/// The platform's libm is not used: its implementations differ between versions and CPU paths.
enum PortableMath {
    private static let log2e = 1.4426950408889634
    private static let ln2High = 0.6931471803691238  // 32 significant bits of ln 2
    private static let ln2Low = 1.9082149292705877e-10  // ln 2 − ln2High
    /// 1/n! for n = 0…13: Taylor coefficients of eʳ on |r| ≤ ln2/2 (truncation error < 1e-17).
    private static let expCoefficients: [Double] = (0...13).map { n in
        1.0 / (1...max(n, 1)).reduce(1.0) { $0 * Double($1) }
    }
    private static let twoOverSqrtPi = 2.0 / Double.pi.squareRoot()
    /// Maclaurin coefficients of erf(z)/z in powers of z²: (2/√π)·(−1)ⁿ/(n!·(2n+1)), n = 0…59.
    static let erfSeries: [Double] = (0..<60).map { n in
        let factorial = (0..<n).reduce(1.0) { $0 * Double($1 + 1) }
        return (n.isMultiple(of: 2) ? 1.0 : -1.0) * twoOverSqrtPi / (factorial * Double(2 * n + 1))
    }
    /// Where the Maclaurin series hands over to the asymptotic expansion of erfc.
    static let erfSeriesLimit = 3.5

    /// eˣ, with relative error below 2e-16.
    static func exp(_ x: Double) -> Double {
        if x.isNaN { return x }
        if x > 709.7 { return .infinity }
        if x < -745.2 { return 0 }
        let k = (x * log2e).rounded(.toNearestOrEven)
        let r = x.addingProduct(-k, ln2High).addingProduct(-k, ln2Low)
        var p = expCoefficients[13]
        for n in stride(from: 12, through: 0, by: -1) {
            p = expCoefficients[n].addingProduct(p, r)
        }
        return scaled(p, byPowerOfTwo: Int(k))
    }

    /// `exp` of each lane, with the same operations as `exp` and therefore the same bits. Lanes
    /// outside [−708, 709], and NaN, take the scalar path (its special cases and scaling).
    static func exp8(_ x: SIMD8<Double>) -> SIMD8<Double> {
        let inRange = (x .>= SIMD8(repeating: -708)) .& (x .<= SIMD8(repeating: 709))
        guard all(inRange) else {
            var result = SIMD8<Double>()
            for lane in 0..<8 { result[lane] = exp(x[lane]) }
            return result
        }
        let k = (x * log2e).rounded(.toNearestOrEven)
        let r = x.addingProduct(-k, SIMD8(repeating: ln2High)).addingProduct(-k, SIMD8(repeating: ln2Low))
        var p = SIMD8(repeating: expCoefficients[13])
        for n in stride(from: 12, through: 0, by: -1) {
            p = SIMD8(repeating: expCoefficients[n]).addingProduct(p, r)
        }
        // 2^k for −1022 ≤ k ≤ 1023, built from its exponent bits: the factor `scaled` multiplies by.
        let exponent = (integers(k) &+ 1023) &<< 52
        return p * unsafeBitCast(exponent, to: SIMD8<Double>.self)
    }

    /// Integral lanes of magnitude below 2⁵¹ as integers, exactly: adding 1.5·2⁵² puts the
    /// integer in the low bits of the significand.
    @inline(__always)
    static func integers(_ x: SIMD8<Double>) -> SIMD8<Int64> {
        let magic = SIMD8<Double>(repeating: 0x1.8p52)
        return unsafeBitCast(x + magic, to: SIMD8<Int64>.self) &- unsafeBitCast(magic, to: SIMD8<Int64>.self)
    }

    /// The error function, with absolute error below 1e-11 (largest near |z| = 3.5, where the
    /// asymptotic expansion takes over).
    static func erf(_ z: Double) -> Double {
        let magnitude = Swift.abs(z)
        let result: Double
        if magnitude < erfSeriesLimit {
            result = erfSeriesSum(SIMD8(repeating: magnitude))[0]
        } else if magnitude < 6 {
            result = 1 - erfcAsymptotic(magnitude)
        } else {
            result = 1
        }
        return z < 0 ? -result : result
    }

    /// erf(z) for each lane with 0 ≤ z < erfSeriesLimit, by Horner's rule in z² (fused multiply-adds).
    static func erfSeriesSum(_ z: SIMD8<Double>) -> SIMD8<Double> {
        let t = z * z
        var p = SIMD8(repeating: erfSeries[erfSeries.count - 1])
        for n in stride(from: erfSeries.count - 2, through: 0, by: -1) {
            p = SIMD8(repeating: erfSeries[n]).addingProduct(p, t)
        }
        return z * p
    }

    /// erfc(z) for z ≥ 3.5: e^(−z²)/(z√π) · Σ (−1)ⁿ (2n−1)!! / (2z²)ⁿ, eight terms.
    private static func erfcAsymptotic(_ z: Double) -> Double {
        let u = 1 / (2 * z * z)
        var sum = 1.0
        var term = 1.0
        for n in 1...8 {
            term *= -Double(2 * n - 1) * u
            sum += term
        }
        return exp(-(z * z)) / (z * Double.pi.squareRoot()) * sum
    }

    /// x·2ⁿ by exponent arithmetic (exact while the result is normal).
    private static func scaled(_ x: Double, byPowerOfTwo n: Int) -> Double {
        if n > 1023 { return x * 0x1p1023 * Double(sign: .plus, exponent: n - 1023, significand: 1) }
        if n < -1022 { return x * 0x1p-1022 * Double(sign: .plus, exponent: n + 1022, significand: 1) }
        return x * Double(sign: .plus, exponent: n, significand: 1)
    }
}
