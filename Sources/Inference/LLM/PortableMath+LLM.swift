/// The natural logarithm, sine and cosine the LLM engine needs (rotary position angles, log-
/// probabilities), written like `PortableMath.exp`: a fixed sequence of IEEE double operations,
/// so every machine and build gives the same bits. libm is not used.
extension PortableMath {
    private static let ln2 = 0.6931471805599453
    /// fdlibm's split of π/2: 33 significant bits, then the rest, so that k·piOver2High is exact
    /// for the |k| < 2²⁰ that rotary angles reach.
    private static let piOver2High = 1.57079632673412561417e+00
    private static let piOver2Low = 6.07710050650619224932e-11
    private static let twoOverPi = 0.6366197723675814

    /// ln x for finite x > 0 (relative error below 1e-15); −∞ at 0, NaN below.
    static func log(_ x: Double) -> Double {
        if x.isNaN || x < 0 { return .nan }
        if x == 0 { return -.infinity }
        if x.isInfinite { return x }
        // x = m·2ᵉ with m in [√½, √2).
        var m = x.significand
        var e = Double(x.exponent)
        if m > 1.4142135623730951 {
            m /= 2
            e += 1
        }
        // ln m = 2·atanh(s), s = (m−1)/(m+1), |s| < 0.172: the odd series to s³¹.
        let s = (m - 1) / (m + 1)
        let s2 = s * s
        var sum = 1.0 / 31
        for n in stride(from: 29, through: 1, by: -2) {
            sum = (1.0 / Double(n)).addingProduct(sum, s2)
        }
        return (2 * s * sum).addingProduct(e, ln2)
    }

    /// (sin x, cos x) for |x| < 10⁶ (absolute error below 1e-15).
    static func sinCos(_ x: Double) -> (sin: Double, cos: Double) {
        let k = (x * twoOverPi).rounded(.toNearestOrEven)
        let r = x.addingProduct(-k, piOver2High).addingProduct(-k, piOver2Low)
        let r2 = r * r
        // Taylor series on |r| ≤ π/4 to r²³ and r²².
        var sinSum = 0.0
        var cosSum = 0.0
        for n in stride(from: 11, through: 0, by: -1) {
            sinSum = sinCoefficients[n].addingProduct(sinSum, r2)
            cosSum = cosCoefficients[n].addingProduct(cosSum, r2)
        }
        let sine = r * sinSum
        let cosine = cosSum
        switch Int(k.truncatingRemainder(dividingBy: 4) + 4) % 4 {
        case 0: return (sine, cosine)
        case 1: return (cosine, -sine)
        case 2: return (-sine, -cosine)
        default: return (-cosine, sine)
        }
    }

    /// (−1)ⁿ/(2n+1)! and (−1)ⁿ/(2n)!, n = 0…11.
    private static let sinCoefficients: [Double] = (0..<12).map { n in
        (n.isMultiple(of: 2) ? 1.0 : -1.0) / (1...(2 * n + 1)).reduce(1.0) { $0 * Double($1) }
    }
    private static let cosCoefficients: [Double] = (0..<12).map { n in
        (n.isMultiple(of: 2) ? 1.0 : -1.0) / (1...max(2 * n, 1)).reduce(1.0) { $0 * Double($1) }
    }
}
