import Ethereum

/// Canonical output bytes: `embed` = abi.encode(bytes v) with the 384 int8 values as two's-complement bytes
/// (448 bytes in all, so it fits the contract's 4,096-byte output cap, which abi.encode(int8[384]) at
/// 12,288 bytes does not), `similarity` = abi.encode(int256),
/// `classify` = abi.encode(uint256 best, int256[] scores).
extension TaskOutput {
    public var abiEncoded: [UInt8] {
        switch self {
        case .embedding(let values):
            ABI.encode([.bytes(values.map { UInt8(bitPattern: $0) })])
        case .similarity(let score):
            ABI.encode([.int(Int256(Int64(score)))])
        case .classification(let best, let scores):
            ABI.encode([.uint(UInt256(UInt64(best))), .array(scores.map { .int(Int256(Int64($0))) })])
        }
    }

    /// keccak256 of `abiEncoded`.
    public var hash: Bytes32 { Keccak256.hash(abiEncoded) }
}
