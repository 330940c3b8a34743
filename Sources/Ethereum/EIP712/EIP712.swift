/// EIP-712 typed structured data hashing.
///
/// Hash a `eth_signTypedData_v4` JSON document with ``TypedData``, or a Swift type that conforms to
/// ``EIP712Struct`` with ``EIP712Struct/eip712SigningHash(domain:)``.
public enum EIP712 {
    /// `keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ structHash)`: the digest that is signed.
    public static func signingHash(domainSeparator: Bytes32, structHash: Bytes32) -> Bytes32 {
        var hasher = Keccak256()
        hasher.update([0x19, 0x01])
        hasher.update(domainSeparator.bytes)
        hasher.update(structHash.bytes)
        return hasher.finalize()
    }
}
