import Enclave
import Ethereum
import Foundation
import Inference
import Testing

/// The released noise follows the configured mechanism: a chi-square goodness-of-fit test over 23,040
/// draws through the real keyed generator (60 zero embeddings of 384 components, request ids
/// keccak256(uint32be(i)), input hash zero), with a false-alarm rate α = 10⁻⁴. The key and request ids are fixed, so each
/// test gives the same statistic on every run. The same test applied to a mechanism scaled 25% wrong must
/// reject, showing it has power at this sample size.
@Suite struct PrivateReleaseDistributionTests {
    /// Bins: every z in −12…12 and the two tails, 27 in all, so 26 degrees of freedom.
    static let halfWidth = 12
    /// The chi-square distribution's upper 10⁻⁴ quantile for 26 degrees of freedom (checked in Python by
    /// tests/privacy/test_dp_cli.py::test_chi_square_critical_value).
    static let criticalValue = 61.6573

    static let key = try! ModelKey(bytes: Array("cloister dp distribution test 32".utf8))

    /// Laplace: ε = 1, Δ₁ = 4 → scale 4. Gaussian: ε = 1, δ = 10⁻⁵, Δ₂ = 1 → σ² ≈ 24.
    static let laplace = PrivacyPolicy(mechanism: .laplace, epsilonMicros: 1_000_000, sensitivities: .init(embedding: 4))
    static let gaussian = PrivacyPolicy(mechanism: .gaussian(deltaExponent: 5), epsilonMicros: 1_000_000, sensitivities: .init(embedding: 1))

    /// The noise of 60 releases of the zero embedding (no draw comes near the ±127 clamp at these scales).
    static func draws(_ policy: PrivacyPolicy) throws -> [Int] {
        let zero = TaskOutput.embedding(Array(repeating: 0, count: 384)).abiEncoded
        var draws: [Int] = []
        for index in 0..<60 {
            var id: [UInt8] = []
            withUnsafeBytes(of: UInt32(index).bigEndian) { id.append(contentsOf: $0) }
            let bytes = try PrivateRelease.noisedOutput(
                zero, task: .embed, policy: policy, modelKey: key, requestID: Keccak256.hash(id),
                inputHash: .zero)
            guard case .embedding(let values) = try TaskOutput(task: .embed, abiEncoded: bytes) else { continue }
            draws += values.map(Int.init)
        }
        return draws
    }

    /// Discrete Laplace with scale Δ/ε: P(z) = (1 − q)/(1 + q)·q^|z|, q = e^(−ε/Δ).
    static func laplaceProbability(epsilon: Double, sensitivity: Double) -> (Int) -> Double {
        let q = exp(-epsilon / sensitivity)
        return { z in (1 - q) / (1 + q) * pow(q, Double(abs(z))) }
    }

    /// Discrete Gaussian: P(z) = e^(−z²/2σ²) / Σ_k e^(−k²/2σ²).
    static func gaussianProbability(sigmaSquared: Double) -> (Int) -> Double {
        let normaliser = (-2_000...2_000).reduce(0.0) { $0 + exp(-Double($1 * $1) / (2 * sigmaSquared)) }
        return { z in exp(-Double(z * z) / (2 * sigmaSquared)) / normaliser }
    }

    /// σ² = a/b of the policy's calibration, as the sampler uses it.
    static func sigmaSquared(_ policy: PrivacyPolicy) -> Double {
        guard case .gaussian(let a, let b) = NoiseCalibration.of(policy, sensitivity: 1) else { return .nan }
        return Double(a.uint64!) / Double(b.uint64!)
    }

    /// Pearson's statistic of the draws against the probabilities, over the bins above.
    static func chiSquare(_ draws: [Int], _ probability: (Int) -> Double) -> Double {
        let width = halfWidth
        var observed = [Double](repeating: 0, count: 2 * width + 3)
        for z in draws { observed[min(max(z, -width - 1), width + 1) + width + 1] += 1 }
        var expected = (-width...width).map { probability($0) }
        let tail = (1 - expected.reduce(0, +)) / 2  // both distributions are symmetric
        expected = [tail] + expected + [tail]
        let n = Double(draws.count)
        return zip(observed, expected).reduce(0.0) { sum, pair in
            let e = pair.1 * n
            return sum + (pair.0 - e) * (pair.0 - e) / e
        }
    }

    @Test func laplaceNoiseFitsTheMechanism() throws {
        let draws = try Self.draws(Self.laplace)
        #expect(draws.count == 23_040)
        let statistic = Self.chiSquare(draws, Self.laplaceProbability(epsilon: 1, sensitivity: 4))
        print("PrivateReleaseDistribution: Laplace scale 4, n = \(draws.count), chi-square = \(statistic) (critical \(Self.criticalValue))")
        #expect(statistic < Self.criticalValue)
    }

    @Test func gaussianNoiseFitsTheMechanism() throws {
        let draws = try Self.draws(Self.gaussian)
        let sigmaSquared = Self.sigmaSquared(Self.gaussian)
        #expect(sigmaSquared == 24.01544189453125)  // a/b = 1573876/65536, as tests/privacy computes it
        let statistic = Self.chiSquare(draws, Self.gaussianProbability(sigmaSquared: sigmaSquared))
        print("PrivateReleaseDistribution: Gaussian σ² = \(sigmaSquared), n = \(draws.count), chi-square = \(statistic) (critical \(Self.criticalValue))")
        #expect(statistic < Self.criticalValue)
    }

    /// Power: noise drawn with ε = 0.8 (Laplace scale 5, not 4) or ε = 0.9 (Gaussian σ² 1.23 times the
    /// calibrated one) is refused as the ε = 1 mechanism.
    @Test func theTestRejectsAWronglyScaledMechanism() throws {
        let wideLaplace = PrivacyPolicy(mechanism: .laplace, epsilonMicros: 800_000, sensitivities: .init(embedding: 4))
        let wideGaussian = PrivacyPolicy(mechanism: .gaussian(deltaExponent: 5), epsilonMicros: 900_000, sensitivities: .init(embedding: 1))
        let laplaceStatistic = Self.chiSquare(try Self.draws(wideLaplace), Self.laplaceProbability(epsilon: 1, sensitivity: 4))
        let gaussianStatistic = Self.chiSquare(try Self.draws(wideGaussian), Self.gaussianProbability(sigmaSquared: Self.sigmaSquared(Self.gaussian)))
        print(
            "PrivateReleaseDistribution: wrong scale: Laplace chi-square = \(laplaceStatistic), Gaussian chi-square = \(gaussianStatistic) (critical \(Self.criticalValue))"
        )
        #expect(laplaceStatistic > Self.criticalValue)
        #expect(gaussianStatistic > Self.criticalValue)
    }
}
