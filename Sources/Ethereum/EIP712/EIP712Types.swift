/// A struct field: its name and its type as written (the text that goes into `encodeType`).
public struct EIP712Field: Hashable, Sendable {
    public let name: String
    public let type: String

    public init(name: String, type: String) {
        self.name = name
        self.type = type
    }
}

/// A set of declared struct types, validated so that every field type resolves.
public struct EIP712Types: Hashable, Sendable {
    /// The fields of each struct, in declaration order.
    public let structs: [String: [EIP712Field]]
    /// The resolved type of each field, parallel to ``structs``.
    let resolved: [String: [EIP712FieldType]]
    /// More declared struct types than this is an error: `encodeType` costs grow with their square.
    public static let maximumStructCount = 1024

    public init(_ structs: [String: [EIP712Field]]) throws(EIP712Error) {
        guard structs.count <= Self.maximumStructCount else { throw .tooManyTypes(structs.count) }
        let names = Set(structs.keys)
        var resolved: [String: [EIP712FieldType]] = [:]
        for (name, fields) in structs {
            guard ABISignature.isIdentifier(name) else { throw .invalidName(name) }
            var seen = Set<String>()
            var types: [EIP712FieldType] = []
            for field in fields {
                guard ABISignature.isIdentifier(field.name) else { throw .invalidName(field.name) }
                guard seen.insert(field.name).inserted else { throw .duplicateName(field.name) }
                types.append(try EIP712FieldType(parsing: field.type, structNames: names))
            }
            resolved[name] = types
        }
        self.structs = structs
        self.resolved = resolved
    }

    /// `Primary(T1 a,T2 b)Dep1(…)Dep2(…)`: the primary type then every struct it references, directly or
    /// not, sorted by name.
    public func encodeType(_ primary: String) throws(EIP712Error) -> String {
        guard structs[primary] != nil else { throw .unknownType(primary) }
        return Self.encodeType(primary, structs: structs, resolved: resolved)
    }

    private static func encodeType(
        _ primary: String, structs: [String: [EIP712Field]],
        resolved: [String: [EIP712FieldType]]
    ) -> String {
        var found: Set<String> = [primary]
        var pending = [primary]
        while let name = pending.popLast() {
            for type in resolved[name] ?? [] {
                if let child = type.referencedStruct, found.insert(child).inserted { pending.append(child) }
            }
        }
        return ([primary] + found.subtracting([primary]).sorted()).map { name in
            name + "(" + (structs[name] ?? []).map { "\($0.type) \($0.name)" }.joined(separator: ",") + ")"
        }.joined()
    }

    /// keccak256(encodeType(name)).
    public func typeHash(_ name: String) throws(EIP712Error) -> Bytes32 {
        Keccak256.hash(try encodeType(name).utf8)
    }
}
