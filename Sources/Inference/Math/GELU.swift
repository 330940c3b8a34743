/// GELU with the exact error function, gelu(x) = x·Φ(x) where Φ(x) = ½(1 + erf(x/√2)).
///
/// On [−8, 8) the function is evaluated from 128 degree-7 Taylor polynomials, one per interval
/// of width 1/8, built once at start-up in double precision from Φ, φ and the Hermite
/// polynomials (error within one float ulp, or below 1e-10 absolute for x < −4.9 where gelu is tiny). Outside that range
/// the exact formula with `PortableMath.erf` is used. Either way the value is computed in double
/// precision with fused multiply-adds and rounded once to float; it depends only on x.
enum GELU {
    private static let lowerBound = -8.0
    private static let intervalsPerUnit = 8.0
    private static let intervals = 128
    private static let degree = 7  // `gelu` below unrolls Horner's rule for exactly this degree
    /// Coefficients of gelu(c + h) in powers of h, `degree + 1` per interval, c the interval's midpoint.
    private static let coefficients: [Double] = (0..<intervals).flatMap { index in
        taylorCoefficients(at: lowerBound + (Double(index) + 0.5) / intervalsPerUnit)
    }

    static func apply(_ values: UnsafeMutableBufferPointer<Float>) {
        coefficients.withUnsafeBufferPointer { table in
            var index = values.startIndex
            while index + 8 <= values.endIndex {
                var x = SIMD8<Double>()
                for lane in 0..<8 { x[lane] = Double(values[index + lane]) }
                let y = gelu8(x, table)
                for lane in 0..<8 { values[index + lane] = Float(y[lane]) }
                index += 8
            }
            while index < values.endIndex {
                values[index] = Float(gelu(Double(values[index]), table))
                index += 1
            }
        }
    }

    /// `gelu` of each lane with the same operations, so the same bits; lanes outside the
    /// table's range (and NaN) fall back to `gelu` itself.
    @inline(__always)
    private static func gelu8(_ x: SIMD8<Double>, _ table: UnsafeBufferPointer<Double>) -> SIMD8<Double> {
        let position = (x - lowerBound) * intervalsPerUnit
        guard all((position .>= 0) .& (position .< Double(intervals))) else {
            var result = SIMD8<Double>()
            for lane in 0..<8 { result[lane] = gelu(x[lane], table) }
            return result
        }
        let interval = position.rounded(.towardZero)  // Int(position) for position ≥ 0, as a Double
        let h = x - (lowerBound + (interval + 0.5) / intervalsPerUnit)
        let start = PortableMath.integers(interval) &* Int64(degree + 1)
        let base = table.baseAddress!
        @inline(__always)
        func coefficient(_ power: Int) -> SIMD8<Double> {
            var value = SIMD8<Double>()
            for lane in 0..<8 { value[lane] = base[Int(truncatingIfNeeded: start[lane]) &+ power] }
            return value
        }
        var sum = coefficient(7)
        sum = coefficient(6).addingProduct(sum, h)
        sum = coefficient(5).addingProduct(sum, h)
        sum = coefficient(4).addingProduct(sum, h)
        sum = coefficient(3).addingProduct(sum, h)
        sum = coefficient(2).addingProduct(sum, h)
        sum = coefficient(1).addingProduct(sum, h)
        sum = coefficient(0).addingProduct(sum, h)
        return sum
    }

    @inline(__always)
    private static func gelu(_ x: Double, _ table: UnsafeBufferPointer<Double>) -> Double {
        let position = (x - lowerBound) * intervalsPerUnit
        guard position >= 0, position < Double(intervals) else { return exact(x) }
        let interval = Int(position)
        let h = x - (lowerBound + (Double(interval) + 0.5) / intervalsPerUnit)
        let c = table.baseAddress! + interval &* (degree + 1)
        var sum = c[7]
        sum = c[6].addingProduct(sum, h)
        sum = c[5].addingProduct(sum, h)
        sum = c[4].addingProduct(sum, h)
        sum = c[3].addingProduct(sum, h)
        sum = c[2].addingProduct(sum, h)
        sum = c[1].addingProduct(sum, h)
        sum = c[0].addingProduct(sum, h)
        return sum
    }

    /// x·½(1 + erf(x/√2)) directly.
    static func exact(_ x: Double) -> Double {
        0.5 * x * (1 + PortableMath.erf(x * (1 / 2.0.squareRoot())))
    }

    /// Taylor coefficients of gelu around c: with Φ(c+h) = Σ bₙhⁿ, where b₀ = Φ(c) and
    /// bₙ = (−1)ⁿ⁻¹ Heₙ₋₁(c) φ(c) / n!, gelu(c+h) = (c+h)·Φ(c+h) has coefficients c·bₙ + bₙ₋₁.
    private static func taylorCoefficients(at c: Double) -> [Double] {
        let density = PortableMath.exp(-0.5 * c * c) / (2 * Double.pi).squareRoot()
        var hermite = [1.0, c]  // He₀(c), He₁(c), …
        while hermite.count < degree {
            let n = Double(hermite.count - 1)
            hermite.append(c * hermite[hermite.count - 1] - n * hermite[hermite.count - 2])
        }
        var b = [0.5 * (1 + PortableMath.erf(c * (1 / 2.0.squareRoot())))]
        var factorial = 1.0
        for n in 1...degree {
            factorial *= Double(n)
            let sign = n.isMultiple(of: 2) ? -1.0 : 1.0
            b.append(sign * hermite[n - 1] * density / factorial)
        }
        return (0...degree).map { n in c * b[n] + (n > 0 ? b[n - 1] : 0) }
    }
}
