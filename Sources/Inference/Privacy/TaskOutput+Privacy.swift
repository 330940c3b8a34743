import Ethereum

extension TaskOutput {
    /// The largest magnitude of a released score: a cosine × 10⁶ lies in [−10⁶, 10⁶].
    package static let scoreBound: Int64 = 1_000_000
    /// The largest magnitude of a released embedding component (the engine's own clamp).
    package static let embeddingBound: Int64 = 127

    /// This output with independent noise added to each coordinate (embedding component i, label score
    /// i, the similarity as coordinate 0), each coordinate drawing from its own stream `streams(i)`,
    /// then clamped back to the format's range; a classification's `best` is recomputed from the noisy
    /// scores (the first maximum). Clamping and the argmax are post-processing, so the release keeps
    /// the mechanism's guarantee (`docs/privacy.md`).
    package func privatised<Source: NoiseByteSource>(
        policy: PrivacyPolicy, streams: (UInt32) -> Source
    ) throws(PrivacyError) -> TaskOutput {
        try policy.validate()
        guard let sensitivity = policy.sensitivities[task] else { throw .taskNotReleased(task) }
        let calibration = NoiseCalibration.of(policy, sensitivity: sensitivity)

        func noised(_ values: [Int64], bound: Int64) throws(PrivacyError) -> [Int64] {
            var result: [Int64] = []
            result.reserveCapacity(values.count)
            for (index, value) in values.enumerated() {
                var sampler = DiscreteSampler(source: streams(UInt32(index)))
                let noise =
                    switch calibration {
                    case let .laplace(s, t): try sampler.discreteLaplace(s: s, t: t)
                    case let .gaussian(a, b): try sampler.discreteGaussian(sigmaSquaredNumerator: a, denominator: b)
                    }
                // |value| ≤ 2³¹ and |noise| < 2⁶², so the sum cannot overflow.
                result.append(Swift.min(bound, Swift.max(-bound, value + noise)))
            }
            return result
        }

        switch self {
        case .embedding(let values):
            let noisy = try noised(values.map { Int64($0) }, bound: Self.embeddingBound)
            return .embedding(noisy.map { Int8($0) })
        case .similarity(let score):
            return .similarity(Int(try noised([Int64(score)], bound: Self.scoreBound)[0]))
        case .classification(_, let scores):
            let noisy = try noised(scores.map { Int64($0) }, bound: Self.scoreBound).map { Int($0) }
            let best = noisy.indices.reduce(0) { noisy[$1] > noisy[$0] ? $1 : $0 }
            return .classification(best: best, scores: noisy)
        }
    }
}
