/// A Solidity ABI type, as it appears in canonical signatures such as `(uint256,bytes32[],(address,string)[3])`.
///
/// Parse one from text with ``init(parsing:)``; ``description`` gives the canonical spelling back, which
/// is what selectors, event topics and EIP-712 type strings hash.
public enum ABIType: Hashable, Sendable {
    /// `uint8` … `uint256`; the width in bits is a multiple of 8.
    case uint(bits: Int)
    /// `int8` … `int256`, two's complement; the width in bits is a multiple of 8.
    case int(bits: Int)
    case address
    case bool
    /// `bytes1` … `bytes32`.
    case fixedBytes(Int)
    /// Dynamic `bytes`.
    case bytes
    /// Dynamic UTF-8 `string`.
    case string
    /// `T[]`: a dynamic number of elements.
    indirect case array(ABIType)
    /// `T[n]`: exactly `n` elements, `n ≥ 1`.
    indirect case fixedArray(ABIType, Int)
    /// `(T1,T2,…)`: a struct.
    case tuple([ABIType])

    /// Whether the encoding lives in the tail and the head holds an offset to it.
    public var isDynamic: Bool {
        switch self {
        case .uint, .int, .address, .bool, .fixedBytes: false
        case .bytes, .string, .array: true
        case .fixedArray(let element, _): element.isDynamic
        case .tuple(let components): components.contains(where: \.isDynamic)
        }
    }

    /// Bytes this type takes in the head of an enclosing tuple: 32 for an offset when dynamic,
    /// otherwise its full static size (saturating at `Int.max` for absurd hand-built types).
    public var headSize: Int {
        guard !isDynamic else { return 32 }
        switch self {
        case .fixedArray(let element, let count):
            let (size, overflow) = element.headSize.multipliedReportingOverflow(by: count)
            return overflow ? .max : size
        case .tuple(let components):
            return components.reduce(0) { total, component in
                let (size, overflow) = total.addingReportingOverflow(component.headSize)
                return overflow ? .max : size
            }
        default: return 32
        }
    }
}

extension ABIType: CustomStringConvertible {
    /// The canonical spelling: `uint256` rather than `uint`, no spaces.
    public var description: String {
        switch self {
        case .uint(let bits): "uint\(bits)"
        case .int(let bits): "int\(bits)"
        case .address: "address"
        case .bool: "bool"
        case .fixedBytes(let count): "bytes\(count)"
        case .bytes: "bytes"
        case .string: "string"
        case .array(let element): "\(element)[]"
        case .fixedArray(let element, let count): "\(element)[\(count)]"
        case .tuple(let components): "(" + components.map(\.description).joined(separator: ",") + ")"
        }
    }
}
