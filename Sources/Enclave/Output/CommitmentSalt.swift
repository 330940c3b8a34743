import Ethereum

/// The salt of an output commitment `keccak256(salt ‖ output)`.
///
/// For an encrypted request it is derived from the envelope's data key, so the executor, verifiers and
/// jurors (all recipients) compute the same commitment while an observer, lacking the data key, cannot
/// test guesses of a low-entropy output against it. For a plaintext request it is 32 zero bytes: the
/// input is public, so anyone can compute the output of a deterministic model anyway and a salt would
/// hide nothing; the zero salt lets a contract recheck a plaintext output against its commitment.
public struct CommitmentSalt: Sendable {
    private let bytes: [UInt8]

    /// The salt of plaintext requests: 32 zero bytes.
    public static let plaintext = CommitmentSalt(unchecked: [UInt8](repeating: 0, count: 32))

    init(unchecked bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// `keccak256(salt ‖ output)`.
    public func commitment(to output: some Sequence<UInt8>) -> Bytes32 {
        var hasher = Keccak256()
        hasher.update(bytes)
        hasher.update(output)
        return hasher.finalize()
    }

    /// The salt bytes, for test vectors and cross-checks only: whoever holds them can test guesses of the output.
    package var exposedBytes: [UInt8] { bytes }
}

extension CommitmentSalt: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "CommitmentSalt(redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: []) }
}
