extension ABIValue {
    /// The number of a `uint<N>` value.
    public func asUInt() throws(ABIError) -> UInt256 {
        guard case .uint(let value) = self else { throw .unexpectedKind(expected: "uint") }
        return value
    }

    /// The number of an `int<N>` value.
    public func asInt() throws(ABIError) -> Int256 {
        guard case .int(let value) = self else { throw .unexpectedKind(expected: "int") }
        return value
    }

    public func asAddress() throws(ABIError) -> Address {
        guard case .address(let value) = self else { throw .unexpectedKind(expected: "address") }
        return value
    }

    public func asBool() throws(ABIError) -> Bool {
        guard case .bool(let value) = self else { throw .unexpectedKind(expected: "bool") }
        return value
    }

    /// The bytes of a `bytes` or `bytes<N>` value.
    public func asBytes() throws(ABIError) -> [UInt8] {
        switch self {
        case .bytes(let value), .fixedBytes(let value): return value
        default: throw .unexpectedKind(expected: "bytes")
        }
    }

    /// A `bytes32` value.
    public func asBytes32() throws(ABIError) -> Bytes32 {
        guard case .fixedBytes(let value) = self, let word = Bytes32(value) else { throw .unexpectedKind(expected: "bytes32") }
        return word
    }

    public func asString() throws(ABIError) -> String {
        guard case .string(let value) = self else { throw .unexpectedKind(expected: "string") }
        return value
    }

    /// The elements of an array, fixed array or tuple.
    public func asElements() throws(ABIError) -> [ABIValue] {
        switch self {
        case .array(let elements), .fixedArray(let elements), .tuple(let elements): return elements
        default: throw .unexpectedKind(expected: "array or tuple")
        }
    }
}
