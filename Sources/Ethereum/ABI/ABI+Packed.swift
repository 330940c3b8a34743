extension ABI {
    /// The non-standard packed encoding of `abi.encodePacked(v1, v2, …)`: elementary values in their
    /// own width without padding (`uint16` takes 2 bytes, `bool` 1, `address` 20), `bytes` and `string`
    /// raw, and array elements padded to 32 bytes each with no length. Packed encodings are ambiguous,
    /// so there is no decoder; they are for hashing and signatures.
    public static func encodePacked(_ values: [ABIValue], as types: [ABIType]) throws(ABIError) -> [UInt8] {
        try check(values, against: types)
        var output: [UInt8] = []
        for (value, type) in zip(values, types) {
            switch (type, value) {
            case (.array(let element), .array(let elements)), (.fixedArray(let element, _), .fixedArray(let elements)):
                guard isPackableArrayElement(element) else { throw .unsupportedPackedType(type) }
                output += encode(elements)
            case (.tuple, _):
                throw .unsupportedPackedType(type)
            default:
                output += packedElementary(value, as: type)
            }
        }
        return output
    }

    /// Arrays pack only elementary static elements (each as its 32-byte word).
    private static func isPackableArrayElement(_ type: ABIType) -> Bool {
        switch type {
        case .uint, .int, .address, .bool, .fixedBytes: true
        case .bytes, .string, .array, .fixedArray, .tuple: false
        }
    }

    /// An elementary value in its natural width.
    private static func packedElementary(_ value: ABIValue, as type: ABIType) -> [UInt8] {
        switch (value, type) {
        case (.uint(let number), .uint(let bits)): Array(number.bytes32.bytes.suffix(bits / 8))
        case (.int(let number), .int(let bits)): Array(number.bitPattern.bytes32.bytes.suffix(bits / 8))
        case (.address(let address), _): address.bytes
        case (.bool(let flag), _): [flag ? 1 : 0]
        case (.fixedBytes(let bytes), _), (.bytes(let bytes), _): bytes
        case (.string(let text), _): Array(text.utf8)
        default: []
        }
    }
}
