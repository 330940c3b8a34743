import Ethereum

/// Exact samplers for the discrete Laplace and discrete Gaussian distributions (Canonne, Kamath and
/// Steinke, "The Discrete Gaussian for Differential Privacy", 2020, Algorithms 1–3), written with
/// integer and rational arithmetic only: no floating point, no libm, so the bytes of the stream
/// decide every draw exactly and the same way on every machine. `docs/privacy.md` specifies each step;
/// `tests/privacy/dp_reference.py` is an independent implementation of the same text.
package struct DiscreteSampler<Source: NoiseByteSource> {
    package var source: Source

    package init(source: Source) {
        self.source = source
    }

    /// Draws below 2⁶² grid units only (`PrivacyError.sampleOutOfRange` otherwise).
    static var limit: UInt256 { UInt256(1 << 62) }

    /// Uniform on [0, n), n ≥ 1, by rejection: w = bit length of n − 1; draw ⌈w/8⌉ bytes, read them
    /// big-endian, keep the low w bits, accept when below n. n = 1 takes no byte.
    package mutating func uniform(below n: UInt256) -> UInt256 {
        let width = (n - 1).bitWidth
        if width == 0 { return .zero }
        let count = (width + 7) / 8
        while true {
            var value = UInt256.zero
            for _ in 0..<count { value = value.shiftedLeft(by: 8) | UInt256(UInt64(source.nextByte())) }
            value = value.shiftedLeft(by: 256 - width).shiftedRight(by: 256 - width)
            if value < n { return value }
        }
    }

    /// Bernoulli(num/den), 0 ≤ num ≤ den, den ≥ 1: true when uniform(below: den) < num.
    package mutating func bernoulli(_ num: UInt256, _ den: UInt256) -> Bool {
        uniform(below: den) < num
    }

    /// Bernoulli(exp(−num/den)) for any num ≥ 0, den ≥ 1 (CKS Algorithm 1): with q = ⌊num/den⌋ and
    /// r = num mod den, q trials of Bernoulli(exp(−1)) (false at the first failure), then
    /// Bernoulli(exp(−r/den)). For γ = n/d ∈ [0, 1]: K = 1; while Bernoulli(n/(d·K)) { K += 1 }; K odd.
    package mutating func bernoulliExp(_ num: UInt256, _ den: UInt256) -> Bool {
        // The division is skipped in the common cases γ < 1 and γ = 1; its result is the same.
        let (quotient, remainder) =
            num < den
            ? (UInt256.zero, num)
            : num == den
                ? (UInt256(1), UInt256.zero)
                : try! num.quotientAndRemainder(dividingBy: den)  // den ≥ 1
        var trial = UInt256.zero
        while trial < quotient {
            if !bernoulliExpAtMostOne(1, 1) { return false }
            trial += 1
        }
        return bernoulliExpAtMostOne(remainder, den)
    }

    private mutating func bernoulliExpAtMostOne(_ num: UInt256, _ den: UInt256) -> Bool {
        var k = UInt256(1)
        while bernoulli(num, den * k) { k += 1 }
        return k.bit(0)
    }

    /// Discrete Laplace with scale t/s, P(z) ∝ exp(−|z|·s/t) (CKS Algorithm 2, s, t ≥ 1):
    /// repeat { U ← uniform[0, t); if not Bernoulli(exp(−U/t)) restart; V ← number of successes of
    /// Bernoulli(exp(−1)) before the first failure; Y ← ⌊(U + t·V)/s⌋; B ← Bernoulli(1/2);
    /// if B and Y = 0 restart; return B ? −Y : Y }.
    package mutating func discreteLaplace(s: UInt256, t: UInt256) throws(PrivacyError) -> Int64 {
        while true {
            let u = uniform(below: t)
            guard bernoulliExp(u, t) else { continue }
            var v = UInt256.zero
            while bernoulliExp(1, 1) { v += 1 }
            let (scaled, overflow) = t.multipliedReportingOverflow(by: v)
            guard !overflow, scaled < Self.limit else { throw .sampleOutOfRange }
            let x = u + scaled
            guard x < Self.limit else { throw .sampleOutOfRange }
            let y = Int64((x / s).uint64!)  // x < 2⁶²
            let negative = bernoulli(1, 2)
            if negative && y == 0 { continue }
            return negative ? -y : y
        }
    }

    /// Discrete Gaussian with σ² = a/b (a, b ≥ 1), P(z) ∝ exp(−z²/2σ²) (CKS Algorithm 3):
    /// t = ⌊√⌊a/b⌋⌋ + 1; repeat { Y ← discrete Laplace with scale t (s = 1);
    /// accept with Bernoulli(exp(−(|Y| − σ²/t)²/2σ²)) = Bernoulli(exp(−(|Y|·b·t − a)²/(2·a·b·t²))) }.
    package mutating func discreteGaussian(sigmaSquaredNumerator a: UInt256, denominator b: UInt256) throws(PrivacyError) -> Int64 {
        let t = NoiseCalibration.squareRootFloor(a / b) + 1
        let denominator = 2 * a * b * t * t
        while true {
            let y = try discreteLaplace(s: 1, t: t)
            let scaled = UInt256(y.magnitude) * b * t
            let difference = scaled >= a ? scaled - a : a - scaled
            if bernoulliExp(difference * difference, denominator) { return y }
        }
    }
}
