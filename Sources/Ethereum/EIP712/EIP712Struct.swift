/// A Swift type that is an EIP-712 struct, so it can be hashed and signed without JSON.
///
/// ```swift
/// struct Fulfilment: EIP712Struct {
///     static let eip712TypeName = "Fulfilment"
///     static let eip712Fields = [EIP712Field(name: "requestId", type: "bytes32"), …]
///     var requestID: Bytes32, …
///     var eip712Values: [EIP712Value] { [.bytes32(requestID), …] }
/// }
/// let digest = try fulfilment.eip712SigningHash(domain: domain)
/// ```
public protocol EIP712Struct: Sendable {
    /// The struct's name in `encodeType`.
    static var eip712TypeName: String { get }
    /// The fields in declaration order.
    static var eip712Fields: [EIP712Field] { get }
    /// Every struct type the fields use, directly or through other structs. Defaults to none.
    static var eip712ReferencedTypes: [any EIP712Struct.Type] { get }
    /// The field values, in the order of ``eip712Fields``.
    var eip712Values: [EIP712Value] { get }
}

extension EIP712Struct {
    public static var eip712ReferencedTypes: [any EIP712Struct.Type] { [] }

    /// This type and the ones it references, validated.
    public static func eip712Types() throws(EIP712Error) -> EIP712Types {
        var structs = [eip712TypeName: eip712Fields]
        for type in eip712ReferencedTypes { structs[type.eip712TypeName] = type.eip712Fields }
        return try EIP712Types(structs)
    }

    /// keccak256 of this type's `encodeType` string.
    public static func eip712TypeHash() throws(EIP712Error) -> Bytes32 {
        try eip712Types().typeHash(eip712TypeName)
    }

    /// hashStruct of this value.
    public func eip712StructHash() throws(EIP712Error) -> Bytes32 {
        try Self.eip712Types().hashStruct(Self.eip712TypeName, eip712Values)
    }

    /// The digest to sign for this value in `domain`.
    public func eip712SigningHash(domain: EIP712Domain) throws(EIP712Error) -> Bytes32 {
        EIP712.signingHash(domainSeparator: domain.separator, structHash: try eip712StructHash())
    }
}
