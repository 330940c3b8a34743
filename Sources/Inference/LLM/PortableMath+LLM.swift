/// The natural logarithm the LLM engine needs (log-probabilities, the rotary θ-scale), written like
/// `PortableMath.exp`: a fixed sequence of IEEE double operations, so every machine and build gives
/// the same bits. libm is not used. (Rotary sines and cosines are `ReferenceArithmetic.sinCos`.)
extension PortableMath {
    private static let ln2 = 0.6931471805599453
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
}
