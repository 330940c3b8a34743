/// A typed-data value, shaped like its field type.
public enum EIP712Value: Hashable, Sendable {
    /// The value of an elementary field: `.uint`, `.int`, `.address`, `.bool`, `.fixedBytes`, `.bytes` or `.string`.
    case value(ABIValue)
    /// A struct's field values in declaration order.
    case structure([EIP712Value])
    /// The elements of an array field.
    case array([EIP712Value])

    /// A `bytes32` field.
    public static func bytes32(_ word: Bytes32) -> EIP712Value { .value(.bytes32(word)) }

    /// A nested struct field.
    public static func structure(_ value: some EIP712Struct) -> EIP712Value { .structure(value.eip712Values) }
}
