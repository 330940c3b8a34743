/// An unsigned 256-bit integer: EVM words, wei amounts, token balances.
///
/// The operators `+`, `-`, `*`, `/` and `%` trap on overflow or division by zero like Swift's own
/// integers; code handling untrusted numbers uses the throwing ``adding(_:)``, ``subtracting(_:)`` and
/// ``multiplied(by:)`` instead.
public struct UInt256: Hashable, Sendable {
    /// Little-endian 64-bit limbs: `limbs.0` is the least significant.
    var limbs: (UInt64, UInt64, UInt64, UInt64)

    public static let zero = UInt256(limbs: (0, 0, 0, 0))
    public static let max = UInt256(limbs: (.max, .max, .max, .max))

    init(limbs: (UInt64, UInt64, UInt64, UInt64)) {
        self.limbs = limbs
    }

    public init(_ value: UInt64) {
        limbs = (value, 0, 0, 0)
    }

    /// The value of at most 32 big-endian bytes, or `nil` when there are more.
    public init?(bigEndian bytes: some Collection<UInt8>) {
        guard bytes.count <= 32 else { return nil }
        var value = UInt256.zero
        for byte in bytes { value = value.shiftedLeft(by: 8) | UInt256(UInt64(byte)) }
        self = value
    }

    /// The 32-byte big-endian word.
    public init(_ word: Bytes32) {
        self = UInt256(bigEndian: word.bytes)!
    }

    /// The value as a 32-byte big-endian word.
    public var bytes32: Bytes32 {
        Bytes32(words: (limbs.3, limbs.2, limbs.1, limbs.0))
    }

    /// The minimal big-endian bytes (empty for zero), as RLP encodes integers.
    public var minimalBytes: [UInt8] {
        Array(bytes32.bytes.drop(while: { $0 == 0 }))
    }

    /// The value if it fits in 64 bits.
    public var uint64: UInt64? {
        limbs.1 == 0 && limbs.2 == 0 && limbs.3 == 0 ? limbs.0 : nil
    }

    public var isZero: Bool { self == .zero }

    /// Number of significant bits.
    public var bitWidth: Int {
        for index in stride(from: 3, through: 0, by: -1) where self[limb: index] != 0 {
            return index * 64 + 64 - self[limb: index].leadingZeroBitCount
        }
        return 0
    }

    subscript(limb index: Int) -> UInt64 {
        get {
            switch index {
            case 0: limbs.0
            case 1: limbs.1
            case 2: limbs.2
            default: limbs.3
            }
        }
        set {
            switch index {
            case 0: limbs.0 = newValue
            case 1: limbs.1 = newValue
            case 2: limbs.2 = newValue
            default: limbs.3 = newValue
            }
        }
    }

    public static func == (lhs: UInt256, rhs: UInt256) -> Bool {
        lhs.limbs == rhs.limbs
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(limbs.0)
        hasher.combine(limbs.1)
        hasher.combine(limbs.2)
        hasher.combine(limbs.3)
    }
}

extension UInt256: Comparable {
    public static func < (lhs: UInt256, rhs: UInt256) -> Bool {
        (lhs.limbs.3, lhs.limbs.2, lhs.limbs.1, lhs.limbs.0) < (rhs.limbs.3, rhs.limbs.2, rhs.limbs.1, rhs.limbs.0)
    }
}

extension UInt256: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: UInt64) {
        self.init(value)
    }
}

/// An arithmetic result that does not fit in 256 bits, or a division by zero.
public enum UInt256ArithmeticError: Error, Equatable, Sendable {
    case overflow
    case divisionByZero
}
