/// What a model's policy asks of a differentially private release of its numeric outputs
/// (`docs/privacy.md`). A value with no secret in it: the noise itself is keyed by the model key, which
/// only the enclave holds (`Enclave.PrivateRelease`).
///
/// Every number is an integer so that every node reads the same policy from the chain and computes the
/// same calibration: ε in millionths, δ as a power of ten, sensitivities in the output's own grid units
/// (1/256 for an embedding component, 10⁻⁶ for a score).
public struct PrivacyPolicy: Sendable, Equatable, Hashable {
    /// The noise distribution: both are exact discrete mechanisms on the output's integer grid.
    public enum Mechanism: Sendable, Equatable, Hashable {
        /// Discrete Laplace, P(z) ∝ exp(−ε·|z|/Δ₁): ε-DP for an ℓ₁ sensitivity Δ₁.
        case laplace
        /// Discrete Gaussian, P(z) ∝ exp(−z²/2σ²), σ² calibrated so that the release is (ε, δ)-DP for
        /// an ℓ₂ sensitivity Δ₂, with δ = 10^(−deltaExponent).
        case gaussian(deltaExponent: Int)
    }

    /// The sensitivity of each output kind in grid units: the ℓ₁ norm (Laplace) or ℓ₂ norm (Gaussian)
    /// of the largest change one individual's data can make to the whole output vector. `nil`: the
    /// policy does not release that kind.
    public struct Sensitivities: Sendable, Equatable, Hashable {
        /// The 384 int8 components of an embedding, in units of 1/256.
        public var embedding: UInt64?
        /// A similarity score, in units of 10⁻⁶ (cosine ∈ [−1, 1] is at most 2,000,000 apart).
        public var similarity: UInt64?
        /// The vector of a classification's label scores, in units of 10⁻⁶.
        public var classification: UInt64?

        public init(embedding: UInt64? = nil, similarity: UInt64? = nil, classification: UInt64? = nil) {
            self.embedding = embedding
            self.similarity = similarity
            self.classification = classification
        }

        public subscript(task: InferenceTask) -> UInt64? {
            switch task {
            case .embed: embedding
            case .similarity: similarity
            case .classify: classification
            }
        }
    }

    public var mechanism: Mechanism
    /// ε × 10⁶ (so 500,000 is ε = 0.5): the privacy loss of one request, what the budget counts.
    public var epsilonMicros: UInt64
    public var sensitivities: Sensitivities

    public init(mechanism: Mechanism, epsilonMicros: UInt64, sensitivities: Sensitivities) {
        self.mechanism = mechanism
        self.epsilonMicros = epsilonMicros
        self.sensitivities = sensitivities
    }

    /// ε from 0.001 to 50: below, the noise's scale would leave the range the exact samplers are sized
    /// for; above, the guarantee is void (e⁵⁰).
    public static let epsilonMicrosRange: ClosedRange<UInt64> = 1_000...50_000_000
    /// δ from 10⁻¹ to 10⁻⁴⁰.
    public static let deltaExponentRange: ClosedRange<Int> = 1...40
    /// Sensitivities from one grid unit to 2²⁷ (a classification's ℓ₁ over 64 labels is 1.28 × 10⁸).
    public static let sensitivityRange: ClosedRange<UInt64> = 1...(1 << 27)

    /// Checks every field against its range; the noise is computed only under a valid policy.
    public func validate() throws(PrivacyError) {
        guard Self.epsilonMicrosRange.contains(epsilonMicros) else { throw .epsilonOutOfRange(micros: epsilonMicros) }
        if case .gaussian(let exponent) = mechanism, !Self.deltaExponentRange.contains(exponent) {
            throw .deltaOutOfRange(exponent: exponent)
        }
        for task in InferenceTask.allCases {
            if let value = sensitivities[task], !Self.sensitivityRange.contains(value) {
                throw .sensitivityOutOfRange(task: task, value: value)
            }
        }
        guard InferenceTask.allCases.contains(where: { sensitivities[$0] != nil }) else { throw .noOutputReleased }
    }
}
