import Ethereum

/// A validated completion and its canonical output bytes, which the node commits to and signs.
///
/// ```
/// canonical  = abi.encode(string content, string finishReason)
/// outputHash = keccak256(canonical)
/// ```
/// `content` is ``CanonicalText/normalise(_:)`` of `choices[0].message.content`; `finishReason` is
/// `"stop"` or `"length"`. No other response field takes part (docs/inference.md).
package struct Completion: Sendable, Equatable {
    /// The normalised completion text.
    package let content: String
    package let finishReason: FinishReason

    /// A completion of `content` as the server sent it; the text is normalised here.
    package init(rawContent: String, finishReason: FinishReason) {
        self.content = CanonicalText.normalise(rawContent)
        self.finishReason = finishReason
    }

    /// Decodes canonical output bytes, refusing anything that is not exactly the canonical encoding
    /// of normalised text and a known finish reason.
    package init(canonicalBytes bytes: [UInt8]) throws(CompletionOutputError) {
        let values: [ABIValue]
        do { values = try ABI.decode([.string, .string], from: bytes) } catch {
            throw .notCanonical("not abi.encode(string,string): \(error)")
        }
        guard case .string(let content) = values[0], case .string(let reason) = values[1] else {
            throw .notCanonical("not abi.encode(string,string)")
        }
        guard let finishReason = FinishReason(rawValue: reason) else { throw .notCanonical("unknown finish reason") }
        self.init(rawContent: content, finishReason: finishReason)
        guard canonicalBytes == bytes else { throw .notCanonical("not the canonical encoding of normalised text") }
    }

    /// `abi.encode(string content, string finishReason)`.
    package var canonicalBytes: [UInt8] {
        ABI.encode([.string(content), .string(finishReason.rawValue)])
    }

    /// `keccak256(canonicalBytes)`.
    package var outputHash: Bytes32 { Keccak256.hash(canonicalBytes) }
}

/// Why bytes are not a canonical completion output.
package enum CompletionOutputError: Error, Equatable, Sendable, CustomStringConvertible {
    case notCanonical(String)

    package var description: String {
        switch self {
        case .notCanonical(let reason): "not a canonical completion output: \(reason)"
        }
    }
}
