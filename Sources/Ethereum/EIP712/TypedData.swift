/// A typed-data document in the `eth_signTypedData_v4` JSON format, hashed as EIP-712 specifies.
///
/// ```json
/// {"types": {"EIP712Domain": […], "Mail": […]}, "primaryType": "Mail", "domain": {…}, "message": {…}}
/// ```
/// When `types` has no `EIP712Domain` entry, the domain's type is inferred from the members present
/// in `domain`, in the order the EIP lists them (as eth-account does).
public struct TypedData: Sendable {
    public let types: EIP712Types
    public let primaryType: String
    /// hashStruct(domain).
    public let domainSeparator: Bytes32
    /// hashStruct(message).
    public let structHash: Bytes32

    /// The digest to sign: `keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ structHash)`.
    public var signingHash: Bytes32 {
        EIP712.signingHash(domainSeparator: domainSeparator, structHash: structHash)
    }

    /// Parses and hashes a UTF-8 JSON document.
    public init(json: some Collection<UInt8>) throws(EIP712Error) {
        let document: ExactJSON
        do { document = try ExactJSON(parsing: json) } catch { throw .invalidJSON(error) }
        try self.init(document: document)
    }

    /// Hashes a parsed document.
    public init(document: ExactJSON) throws(EIP712Error) {
        guard case .object(let declared)? = document["types"] else { throw .invalidDocument(member: "types") }
        guard case .string(let primaryType)? = document["primaryType"] else { throw .invalidDocument(member: "primaryType") }
        guard case .object(let domain)? = document["domain"] else { throw .invalidDocument(member: "domain") }
        guard let message = document["message"] else { throw .invalidDocument(member: "message") }

        var structs: [String: [EIP712Field]] = [:]
        for (name, fields) in declared {
            structs[name] = try Self.fields(of: fields, in: name)
        }
        if structs["EIP712Domain"] == nil {
            structs["EIP712Domain"] = try Self.inferredDomainFields(domain)
        }
        let types = try EIP712Types(structs)
        guard primaryType != "EIP712Domain", structs[primaryType] != nil else { throw .unknownType(primaryType) }

        self.types = types
        self.primaryType = primaryType
        let domainValue = try types.value(of: .object(domain), as: .structure("EIP712Domain"), path: "domain")
        domainSeparator = try types.hashStruct("EIP712Domain", domainValue.structFields, path: "domain")
        let messageValue = try types.value(of: message, as: .structure(primaryType), path: "message")
        structHash = try types.hashStruct(primaryType, messageValue.structFields, path: "message")
    }

    /// `[{"name": …, "type": …}, …]`.
    private static func fields(of json: ExactJSON, in typeName: String) throws(EIP712Error) -> [EIP712Field] {
        guard case .array(let entries) = json else { throw .invalidDocument(member: "types.\(typeName)") }
        var fields: [EIP712Field] = []
        for entry in entries {
            guard case .string(let name)? = entry["name"], case .string(let type)? = entry["type"] else {
                throw .invalidDocument(member: "types.\(typeName)")
            }
            fields.append(EIP712Field(name: name, type: type))
        }
        return fields
    }

    private static let domainMembers = [
        ("name", "string"), ("version", "string"), ("chainId", "uint256"),
        ("verifyingContract", "address"), ("salt", "bytes32")
    ]

    private static func inferredDomainFields(_ domain: [String: ExactJSON]) throws(EIP712Error) -> [EIP712Field] {
        if let unknown = domain.keys.sorted().first(where: { key in !domainMembers.contains { $0.0 == key } }) {
            throw .unknownDomainField(unknown)
        }
        return domainMembers.filter { domain[$0.0] != nil }.map { EIP712Field(name: $0.0, type: $0.1) }
    }
}
