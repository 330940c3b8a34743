/// Why a private release was refused. A policy error names the field and its allowed range; no case
/// carries a key, a noise value or the output.
public enum PrivacyError: Error, Equatable, Sendable, CustomStringConvertible {
    case epsilonOutOfRange(micros: UInt64)
    case deltaOutOfRange(exponent: Int)
    case sensitivityOutOfRange(task: InferenceTask, value: UInt64)
    /// The policy gives no sensitivity for any output kind.
    case noOutputReleased
    /// The policy gives no sensitivity for this task's output, so it cannot be released under it.
    case taskNotReleased(InferenceTask)
    /// The bytes are not the canonical output of the task.
    case malformedOutput(InferenceTask)
    /// A draw reached 2⁶² before the division by s, which the policy ranges make less likely than
    /// e^(−32,767) per draw; the sampler refuses rather than overflow (the same on every node).
    case sampleOutOfRange

    public var description: String {
        switch self {
        case .epsilonOutOfRange(let micros):
            "privacy policy: epsilon_micros \(micros) is outside \(PrivacyPolicy.epsilonMicrosRange.lowerBound)...\(PrivacyPolicy.epsilonMicrosRange.upperBound) (ε from 0.001 to 50)"
        case .deltaOutOfRange(let exponent):
            "privacy policy: delta exponent \(exponent) is outside \(PrivacyPolicy.deltaExponentRange.lowerBound)...\(PrivacyPolicy.deltaExponentRange.upperBound) (δ = 10^-exponent)"
        case .sensitivityOutOfRange(let task, let value):
            "privacy policy: the \(task.rawValue) sensitivity \(value) is outside \(PrivacyPolicy.sensitivityRange.lowerBound)...\(PrivacyPolicy.sensitivityRange.upperBound) grid units"
        case .noOutputReleased: "privacy policy: no output kind has a sensitivity, so nothing can be released"
        case .taskNotReleased(let task): "privacy policy: no sensitivity is set for \(task.rawValue) outputs"
        case .malformedOutput(let task): "not the canonical \(task.rawValue) output"
        case .sampleOutOfRange: "a noise draw left the sampler's range (probability below e^-32767 under a valid policy)"
        }
    }
}
