extension EIP712Types {
    /// `hashStruct(s) = keccak256(typeHash(name) ‖ encodeData(s))`, with `values` in field order.
    public func hashStruct(_ name: String, _ values: [EIP712Value]) throws(EIP712Error) -> Bytes32 {
        try hashStruct(name, values, path: name)
    }

    /// hashStruct, naming values in errors from `path` (`message`, `domain`).
    func hashStruct(_ name: String, _ values: [EIP712Value], path: String) throws(EIP712Error) -> Bytes32 {
        var typeHashes: [String: Bytes32] = [:]
        return try hashStruct(name, values, path: path, typeHashes: &typeHashes)
    }

    /// `typeHashes` caches each struct's type hash for the duration of one hashing pass.
    private func hashStruct(
        _ name: String, _ values: [EIP712Value], path: String,
        typeHashes: inout [String: Bytes32]
    ) throws(EIP712Error) -> Bytes32 {
        guard let fields = structs[name], let types = resolved[name] else { throw .unknownType(name) }
        guard values.count == fields.count else {
            throw .invalidValue(path: path, type: name)
        }
        let typeHash: Bytes32
        if let cached = typeHashes[name] {
            typeHash = cached
        } else {
            typeHash = try self.typeHash(name)
            typeHashes[name] = typeHash
        }
        var hasher = Keccak256()
        hasher.update(typeHash.bytes)
        for index in fields.indices {
            let word = try encodeField(values[index], as: types[index], path: path + "." + fields[index].name, typeHashes: &typeHashes)
            hasher.update(word.bytes)
        }
        return hasher.finalize()
    }

    /// The 32-byte `encodeData` word of one field: elementary values as their ABI word, `bytes` and
    /// `string` as the hash of their contents, structs as their `hashStruct`, arrays as the hash of
    /// their elements' words.
    private func encodeField(
        _ value: EIP712Value, as type: EIP712FieldType, path: String,
        typeHashes: inout [String: Bytes32]
    ) throws(EIP712Error) -> Bytes32 {
        switch (type, value) {
        case (.elementary(let abiType), .value(let abiValue)):
            guard abiValue.conforms(to: abiType) else { throw .invalidValue(path: path, type: abiType.description) }
            switch abiValue {
            case .bytes(let bytes): return Keccak256.hash(bytes)
            case .string(let text): return Keccak256.hash(text.utf8)
            default:
                guard let word = Bytes32(ABI.encode([abiValue])) else { throw .invalidValue(path: path, type: abiType.description) }
                return word
            }
        case (.structure(let name), .structure(let values)):
            return try hashStruct(name, values, path: path, typeHashes: &typeHashes)
        case (.array(let element, let count), .array(let elements)):
            if let count, elements.count != count {
                throw .arrayLengthMismatch(path: path, expected: count, actual: elements.count)
            }
            var hasher = Keccak256()
            for (index, item) in elements.enumerated() {
                hasher.update(try encodeField(item, as: element, path: "\(path)[\(index)]", typeHashes: &typeHashes).bytes)
            }
            return hasher.finalize()
        default:
            throw .invalidValue(path: path, type: type.description)
        }
    }
}
