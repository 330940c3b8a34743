import Ethereum

/// The sampler parameters a valid policy gives for one output kind, computed with integers only so that
/// every node derives the same ones (`docs/privacy.md`, "Calibration").
package enum NoiseCalibration: Equatable, Sendable {
    /// Discrete Laplace with scale t/s = Δ₁/ε: s = ε × 10⁶, t = Δ₁ × 10⁶.
    case laplace(s: UInt256, t: UInt256)
    /// Discrete Gaussian with parameter σ² = a / b, b = 2¹⁶.
    case gaussian(a: UInt256, b: UInt256)

    /// ⌈ln 10 × 2⁶⁴⌉: an upper bound on ln 10 with 64 fractional bits.
    static let ln10Q64 = try! UInt256(parsing: "42475197918399869020")
    /// σ² is rounded up to a multiple of 2⁻¹⁶.
    static let gaussianDenominator = UInt256(1 << 16)

    /// The calibration for a sensitivity Δ (ℓ₁ for Laplace, ℓ₂ for Gaussian) under a validated policy.
    ///
    /// Gaussian: the discrete Gaussian with parameter σ² is ρ-zCDP with ρ = Δ²/2σ² (CKS: the continuous
    /// Gaussian's bound holds for integer shifts), and ρ-zCDP implies (ρ + 2√(ρ·L), δ)-DP with
    /// L = ln(1/δ) (Bun and Steinke, Proposition 1.3). The largest
    /// ρ with ρ + 2√(ρL) ≤ ε is r² with r = ε / (√L + √(L + ε)), so σ² = Δ² / 2r². With upper bounds
    /// Lq = k × ⌈ln 10 × 2⁶⁴⌉ (= L·2⁶⁴ rounded up), sL = ⌈√(Lq·2³²)⌉ ≥ √L·2⁴⁸,
    /// sLe = ⌈√(Lq·2³² + ⌈ε·2⁹⁶⌉)⌉ ≥ √(L+ε)·2⁴⁸ and D = sL + sLe, r ≥ ε·2⁴⁸/D and
    /// a = ⌈Δ²·10¹²·D² / (ε_micros²·2⁸¹)⌉ ≥ σ²·2¹⁶: σ² is only ever rounded up.
    package static func of(_ policy: PrivacyPolicy, sensitivity: UInt64) -> NoiseCalibration {
        let micros = UInt256(policy.epsilonMicros)
        let million = UInt256(1_000_000)
        switch policy.mechanism {
        case .laplace:
            return .laplace(s: micros, t: UInt256(sensitivity) * million)
        case .gaussian(let exponent):
            let lq = UInt256(UInt64(exponent)) * ln10Q64
            let lShifted = lq.shiftedLeft(by: 32)
            let epsilonShifted = ceilingDivision(micros.shiftedLeft(by: 96), million)
            let d = squareRootCeiling(lShifted) + squareRootCeiling(lShifted + epsilonShifted)
            let delta = UInt256(sensitivity)
            let numerator = delta * delta * million * million * d * d
            let denominator = micros * micros * UInt256(1).shiftedLeft(by: 81)
            return .gaussian(a: ceilingDivision(numerator, denominator), b: gaussianDenominator)
        }
    }

    static func ceilingDivision(_ n: UInt256, _ d: UInt256) -> UInt256 {
        let (quotient, remainder) = try! n.quotientAndRemainder(dividingBy: d)  // d ≥ 1
        return remainder.isZero ? quotient : quotient + 1
    }

    /// ⌊√n⌋ by Newton's iteration from above (integers only).
    package static func squareRootFloor(_ n: UInt256) -> UInt256 {
        if n.isZero { return .zero }
        var x = UInt256(1).shiftedLeft(by: (n.bitWidth + 1) / 2)  // ≥ √n
        while true {
            let next = (x + n / x).shiftedRight(by: 1)
            if next >= x { return x }
            x = next
        }
    }

    /// ⌈√n⌉.
    package static func squareRootCeiling(_ n: UInt256) -> UInt256 {
        let root = squareRootFloor(n)
        return root * root == n ? root : root + 1
    }
}
