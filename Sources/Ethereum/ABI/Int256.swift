/// A signed 256-bit integer for ABI `int<N>` values, stored as its two's complement bit pattern.
///
/// Only what ABI encoding needs is here: construction from `Int64`, from a sign and magnitude or from
/// decimal text, the bit pattern (which is exactly the 32-byte ABI word), and reading it back.
public struct Int256: Hashable, Sendable {
    /// The two's complement bits: the ABI word of this value.
    public let bitPattern: UInt256

    public static let zero = Int256(bitPattern: .zero)
    /// −2²⁵⁵.
    public static let min = Int256(bitPattern: UInt256(1).shiftedLeft(by: 255))
    /// 2²⁵⁵ − 1.
    public static let max = Int256(bitPattern: UInt256.max.shiftedRight(by: 1))

    /// The value with these two's complement bits.
    public init(bitPattern: UInt256) {
        self.bitPattern = bitPattern
    }

    public init(_ value: Int64) {
        let magnitude = UInt256(value.magnitude)
        bitPattern = value < 0 ? Self.negate(magnitude) : magnitude
    }

    /// `−magnitude` when `negative`, else `magnitude`; `nil` when that is outside [−2²⁵⁵, 2²⁵⁵ − 1].
    public init?(negative: Bool, magnitude: UInt256) {
        let limit = Int256.min.bitPattern
        guard negative ? magnitude <= limit : magnitude < limit else { return nil }
        bitPattern = negative ? Self.negate(magnitude) : magnitude
    }

    public var isNegative: Bool { bitPattern.bit(255) }

    /// |self|, which for ``min`` is 2²⁵⁵ (representable as a `UInt256`).
    public var magnitude: UInt256 {
        isNegative ? Self.negate(bitPattern) : bitPattern
    }

    /// Whether the value fits in a `bits`-wide two's complement integer (`int<bits>`).
    public func fits(bits: Int) -> Bool {
        guard bits < 256 else { return true }
        // Every bit from `bits - 1` up must equal the sign bit.
        return (isNegative ? ~bitPattern : bitPattern).shiftedRight(by: bits - 1).isZero
    }

    private static func negate(_ value: UInt256) -> UInt256 {
        (~value).addingReportingOverflow(UInt256(1)).partialValue
    }
}

extension Int256: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int64) {
        self.init(value)
    }
}

extension Int256: Comparable {
    public static func < (lhs: Int256, rhs: Int256) -> Bool {
        if lhs.isNegative != rhs.isNegative { return lhs.isNegative }
        return lhs.bitPattern < rhs.bitPattern
    }
}

extension Int256: CustomStringConvertible {
    /// Decimal, with a leading `-` when negative.
    public var description: String {
        (isNegative ? "-" : "") + magnitude.decimalString
    }
}

extension Int256 {
    /// Parses optional `-` then decimal digits, or `0x` hex digits of the magnitude.
    public init(parsing text: some StringProtocol) throws(UInt256ParseError) {
        let negative = text.hasPrefix("-")
        let magnitude = try UInt256(parsing: negative ? String(text.dropFirst()) : String(text))
        guard let value = Int256(negative: negative, magnitude: magnitude) else { throw .tooLarge }
        self = value
    }
}
