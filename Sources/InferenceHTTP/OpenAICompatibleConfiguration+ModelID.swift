import Ethereum

extension OpenAICompatibleConfiguration {
    /// Names the request shape and output canonicalisation of this module (one user message,
    /// temperature 0, n 1, `abi.encode(string content, string finishReason)` of NFC text with `\n`
    /// line breaks). Bumped whenever any of them changes.
    package static let modelIDVersion = "openai-chat/1"

    /// The on-chain model id:
    /// `keccak256(abi.encode(string "openai-chat/1", string servedModelName, uint64 seed, uint32 maxTokens))`.
    ///
    /// It identifies a configuration, not weights: the served name is whatever the operator chose.
    package var modelID: Bytes32 {
        Keccak256.hash(
            ABI.encode([
                .string(Self.modelIDVersion), .string(servedModelName),
                .uint(UInt256(seed)), .uint(UInt256(UInt64(maxTokens)))
            ]))
    }
}
