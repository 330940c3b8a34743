import Ethereum

/// The input a request to a chat model carries: `abi.encode(string prompt)`, exactly (the canonical
/// encoding, nothing after it), so that each prompt has one input and one input hash.
package struct PromptInput: Sendable, Equatable {
    package let prompt: String

    package init(prompt: String) {
        self.prompt = prompt
    }

    /// `abi.encode(string prompt)`.
    package var abiEncoded: [UInt8] { ABI.encode([.string(prompt)]) }

    /// Decodes request input bytes, checking the size before decoding and refusing empty prompts.
    package init(abiEncoded bytes: [UInt8], limits: PromptLimits = PromptLimits()) throws(PromptInputError) {
        let encodedLimit = limits.maxEncodedBytes
        guard bytes.count <= encodedLimit else { throw .inputTooLarge(bytes: bytes.count, limit: encodedLimit) }
        let values: [ABIValue]
        do { values = try ABI.decode([.string], from: bytes) } catch {
            throw .malformed("not abi.encode(string): \(error)")
        }
        guard case .string(let prompt) = values[0] else { throw .malformed("not abi.encode(string)") }
        guard ABI.encode(values) == bytes else { throw .malformed("not the canonical abi.encode(string)") }
        try limits.validate(prompt)
        self.prompt = prompt
    }
}

/// Limits on a prompt, checked before any request is made.
package struct PromptLimits: Sendable, Equatable {
    /// Largest prompt, in UTF-8 bytes. The default, 8,128, is the most that fits the contract's
    /// largest `maxInputBytes` (8,192) once encoded; the deployed setting (4,096 by default) is lower.
    package var maxPromptBytes: Int

    package init(maxPromptBytes: Int = 8_128) {
        self.maxPromptBytes = maxPromptBytes
    }

    /// The size of the canonical encoding of a prompt of ``maxPromptBytes``: offset, length, padded text.
    var maxEncodedBytes: Int { 64 + (maxPromptBytes + 31) / 32 * 32 }

    /// Throws unless `prompt` fits and holds something other than white space.
    func validate(_ prompt: String) throws(PromptInputError) {
        let size = prompt.utf8.count
        guard size <= maxPromptBytes else { throw .promptTooLarge(bytes: size, limit: maxPromptBytes) }
        guard prompt.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else { throw .emptyPrompt }
    }
}

/// Why request input is not a prompt this node will send. Never quotes the prompt: inputs may be
/// confidential.
package enum PromptInputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes are not the canonical `abi.encode(string)`.
    case malformed(String)
    /// The encoded input is larger than a prompt within the limit can be.
    case inputTooLarge(bytes: Int, limit: Int)
    /// The prompt's UTF-8 exceeds ``PromptLimits/maxPromptBytes``.
    case promptTooLarge(bytes: Int, limit: Int)
    /// The prompt is empty or only white space.
    case emptyPrompt

    package var description: String {
        switch self {
        case .malformed(let reason): "malformed prompt input: \(reason)"
        case .inputTooLarge(let bytes, let limit): "input of \(bytes) bytes exceeds the limit of \(limit) bytes"
        case .promptTooLarge(let bytes, let limit): "prompt of \(bytes) bytes exceeds the limit of \(limit) bytes"
        case .emptyPrompt: "the prompt is empty"
        }
    }
}
