/// The Solidity contract ABI: standard (head/tail) encoding and strict, bounds-checked decoding.
///
/// ```swift
/// let data = try ABI.encode([.address(to), .uint(amount)], as: [.address, .uint(bits: 256)])
/// let values = try ABI.decode([.address, .uint(bits: 256)], from: data)
/// ```
public enum ABI {
    /// The encoding of `values` as one tuple, as `abi.encode(v1, v2, …)` produces it.
    ///
    /// Values are encoded as given; use ``encode(_:as:)`` to check them against their types first.
    public static func encode(_ values: [ABIValue]) -> [UInt8] {
        var encoder = ABIEncoder()
        encoder.appendTuple(values)
        return encoder.output
    }

    /// Checks that each value fits its type, then encodes them as one tuple.
    public static func encode(_ values: [ABIValue], as types: [ABIType]) throws(ABIError) -> [UInt8] {
        try check(values, against: types)
        return encode(values)
    }

    /// Decodes a tuple of `types` from `data`, as `abi.decode(data, (T1, T2, …))` does.
    ///
    /// Every offset, length and count is checked against the input, and padding must be canonical
    /// (zero, or sign extension for `int<N>`), as solc's decoder requires. Bytes after the encoding
    /// are ignored.
    public static func decode(_ types: [ABIType], from data: some Collection<UInt8>) throws(ABIError) -> [ABIValue] {
        var decoder = ABIDecoder(data: Array(data))
        return try decoder.decodeTuple(types, at: 0)
    }

    /// Throws ``ABIError/countMismatch(expected:actual:)`` or ``ABIError/valueMismatch(expected:)``
    /// unless each value conforms to the type at the same position.
    static func check(_ values: [ABIValue], against types: [ABIType]) throws(ABIError) {
        guard values.count == types.count else { throw .countMismatch(expected: types.count, actual: values.count) }
        for (value, type) in zip(values, types) where !value.conforms(to: type) {
            throw .valueMismatch(expected: type)
        }
    }
}
