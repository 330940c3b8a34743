import Ethereum
import Inference

/// Differentially private release of a MiniLM task's output (`docs/privacy.md`): the canonical output
/// bytes in, the same format out, with discrete Laplace or discrete Gaussian noise added to every
/// numeric coordinate as the model's policy says, drawn from a generator keyed by the model key, the
/// request id and the input hash. Every enclave with the key gives the same bytes, so sampling and disputes compare
/// bytes as before; nobody without the key can tell the noise or remove it.
public enum PrivateRelease {
    /// The noised output bytes (`abi.encode` in the task's format, each value clamped to its range).
    /// `inputHash` is the request's input hash as the chain records it: binding it means that a request id
    /// reused for another input (a reorganised request) gets independent noise rather than the same.
    /// Throws for an invalid policy, a policy that does not release this task, or bytes that are not the
    /// task's canonical output. Errors never carry the key, the noise or the output.
    public static func noisedOutput(
        _ output: [UInt8], task: InferenceTask, policy: PrivacyPolicy, modelKey: ModelKey, requestID: Bytes32, inputHash: Bytes32
    ) throws(PrivacyError) -> [UInt8] {
        try policy.validate()
        guard policy.sensitivities[task] != nil else { throw .taskNotReleased(task) }
        guard let decoded = try? TaskOutput(task: task, abiEncoded: output), decoded.abiEncoded == output else {
            throw .malformedOutput(task)
        }
        let requestKey = NoiseStream.requestKey(modelKey: modelKey, task: task, requestID: requestID, inputHash: inputHash)
        let noisy = try decoded.privatised(policy: policy) { NoiseStream(requestKey: requestKey, coordinate: $0) }
        return noisy.abiEncoded
    }
}
