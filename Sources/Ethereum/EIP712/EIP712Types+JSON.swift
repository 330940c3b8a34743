extension EIP712Types {
    /// Reads the JSON `value` as a value of `type`.
    ///
    /// Integers may be JSON numbers or strings (decimal, or hex after `0x`); `bytes` and `bytes<N>` are
    /// `0x` hex, a `bytes<N>` shorter than N bytes being padded on the right with zeros; addresses are
    /// hex with a valid EIP-55 checksum when mixed-case. Members of objects that are not fields are ignored.
    func value(of json: ExactJSON, as type: EIP712FieldType, path: String) throws(EIP712Error) -> EIP712Value {
        switch type {
        case .elementary(let abiType):
            guard let value = Self.elementary(json, as: abiType), value.conforms(to: abiType) else {
                throw .invalidValue(path: path, type: abiType.description)
            }
            return .value(value)
        case .structure(let name):
            guard case .object(let members) = json, let fields = structs[name], let fieldTypes = resolved[name] else {
                throw .invalidValue(path: path, type: name)
            }
            var values: [EIP712Value] = []
            for (field, fieldType) in zip(fields, fieldTypes) {
                let fieldPath = path + "." + field.name
                guard let member = members[field.name] else { throw .missingValue(path: fieldPath) }
                values.append(try value(of: member, as: fieldType, path: fieldPath))
            }
            return .structure(values)
        case .array(let element, _):
            guard case .array(let items) = json else { throw .invalidValue(path: path, type: type.description) }
            var values: [EIP712Value] = []
            for (index, item) in items.enumerated() {
                values.append(try value(of: item, as: element, path: "\(path)[\(index)]"))
            }
            return .array(values)
        }
    }

    private static func elementary(_ json: ExactJSON, as type: ABIType) -> ABIValue? {
        switch (type, json) {
        case (.uint, .number(let text)), (.uint, .string(let text)):
            return (try? UInt256(parsing: text)).map(ABIValue.uint)
        case (.int, .number(let text)), (.int, .string(let text)):
            return (try? Int256(parsing: text)).map(ABIValue.int)
        case (.address, .string(let text)):
            return (try? Address(hex: text)).map(ABIValue.address)
        case (.bool, .bool(let flag)):
            return .bool(flag)
        case (.fixedBytes(let count), .string(let text)):
            guard let bytes = try? Hex.decode(text, requirePrefix: true), bytes.count <= count else { return nil }
            return .fixedBytes(bytes + [UInt8](repeating: 0, count: count - bytes.count))
        case (.bytes, .string(let text)):
            return (try? Hex.decode(text, requirePrefix: true)).map(ABIValue.bytes)
        case (.string, .string(let text)):
            return .string(text)
        default:
            return nil
        }
    }
}

extension EIP712Value {
    /// The field values of a `.structure`, empty otherwise.
    var structFields: [EIP712Value] {
        guard case .structure(let values) = self else { return [] }
        return values
    }
}
