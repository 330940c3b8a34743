import Ethereum

/// Canonical output bytes: `embed` = abi.encode(int8[384]), `similarity` = abi.encode(int256),
/// `classify` = abi.encode(uint256 best, int256[] scores).
extension TaskOutput {
    public var abiEncoded: [UInt8] {
        switch self {
        case .embedding(let values):
            ABI.encode([.fixedArray(values.map { .int(Int256(Int64($0))) })])
        case .similarity(let score):
            ABI.encode([.int(Int256(Int64(score)))])
        case .classification(let best, let scores):
            ABI.encode([.uint(UInt256(UInt64(best))), .array(scores.map { .int(Int256(Int64($0))) })])
        }
    }

    /// keccak256 of `abiEncoded`.
    public var hash: Bytes32 { Keccak256.hash(abiEncoded) }
}
