/// A value to encode or a decoded value, one case per kind of ABI type.
///
/// The widths of `uint<N>`, `int<N>` and `bytes<N>` are not stored: a value is checked against its
/// type by ``ABI/encode(_:as:)`` and decoded values always fit the type they were decoded as.
public enum ABIValue: Hashable, Sendable {
    /// Any `uint<N>`.
    case uint(UInt256)
    /// Any `int<N>`.
    case int(Int256)
    case address(Address)
    case bool(Bool)
    /// `bytes1` … `bytes32`: exactly N bytes.
    case fixedBytes([UInt8])
    /// Dynamic `bytes`.
    case bytes([UInt8])
    case string(String)
    /// `T[]`.
    case array([ABIValue])
    /// `T[n]`.
    case fixedArray([ABIValue])
    /// `(T1,T2,…)`.
    case tuple([ABIValue])

    /// A `bytes32` value.
    public static func bytes32(_ word: Bytes32) -> ABIValue { .fixedBytes(word.bytes) }

    /// Whether this value encodes into the tail (behind an offset) of an enclosing tuple.
    var isDynamic: Bool {
        switch self {
        case .uint, .int, .address, .bool, .fixedBytes: false
        case .bytes, .string, .array: true
        case .fixedArray(let elements), .tuple(let elements): elements.contains(where: \.isDynamic)
        }
    }

    /// Whether the value fits `type`: same kind, in range, right length and element count.
    public func conforms(to type: ABIType) -> Bool {
        switch (self, type) {
        case (.uint(let value), .uint(let bits)): value.bitWidth <= bits
        case (.int(let value), .int(let bits)): value.fits(bits: bits)
        case (.address, .address), (.bool, .bool), (.bytes, .bytes), (.string, .string): true
        case (.fixedBytes(let bytes), .fixedBytes(let count)): bytes.count == count
        case (.array(let elements), .array(let element)): elements.allSatisfy { $0.conforms(to: element) }
        case (.fixedArray(let elements), .fixedArray(let element, let count)):
            elements.count == count && elements.allSatisfy { $0.conforms(to: element) }
        case (.tuple(let values), .tuple(let components)):
            values.count == components.count && zip(values, components).allSatisfy { $0.conforms(to: $1) }
        default: false
        }
    }
}
