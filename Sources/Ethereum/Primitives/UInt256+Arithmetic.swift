extension UInt256 {
    /// `self + other` and whether it wrapped.
    public func addingReportingOverflow(_ other: UInt256) -> (partialValue: UInt256, overflow: Bool) {
        var result = UInt256.zero
        var carry: UInt64 = 0
        for index in 0..<4 {
            let (sum1, overflow1) = self[limb: index].addingReportingOverflow(other[limb: index])
            let (sum2, overflow2) = sum1.addingReportingOverflow(carry)
            result[limb: index] = sum2
            carry = (overflow1 ? 1 : 0) + (overflow2 ? 1 : 0)
        }
        return (result, carry != 0)
    }

    /// `self - other` and whether it wrapped.
    public func subtractingReportingOverflow(_ other: UInt256) -> (partialValue: UInt256, overflow: Bool) {
        var result = UInt256.zero
        var borrow: UInt64 = 0
        for index in 0..<4 {
            let (difference1, overflow1) = self[limb: index].subtractingReportingOverflow(other[limb: index])
            let (difference2, overflow2) = difference1.subtractingReportingOverflow(borrow)
            result[limb: index] = difference2
            borrow = (overflow1 ? 1 : 0) + (overflow2 ? 1 : 0)
        }
        return (result, borrow != 0)
    }

    /// `self * other` truncated to 256 bits, and whether anything was lost.
    public func multipliedReportingOverflow(by other: UInt256) -> (partialValue: UInt256, overflow: Bool) {
        var product = [UInt64](repeating: 0, count: 8)
        for i in 0..<4 where self[limb: i] != 0 {
            var carry: UInt64 = 0
            for j in 0..<4 {
                let (high, low) = self[limb: i].multipliedFullWidth(by: other[limb: j])
                let (sum1, overflow1) = low.addingReportingOverflow(product[i + j])
                let (sum2, overflow2) = sum1.addingReportingOverflow(carry)
                product[i + j] = sum2
                carry = high &+ (overflow1 ? 1 : 0) &+ (overflow2 ? 1 : 0)
            }
            product[i + 4] = carry
        }
        let result = UInt256(limbs: (product[0], product[1], product[2], product[3]))
        return (result, product[4...].contains { $0 != 0 })
    }

    /// The quotient and remainder of `self / divisor`; `divisor` must not be zero.
    public func quotientAndRemainder(dividingBy divisor: UInt256) throws(UInt256ArithmeticError) -> (quotient: UInt256, remainder: UInt256) {
        guard !divisor.isZero else { throw .divisionByZero }
        if self < divisor { return (.zero, self) }
        var quotient = UInt256.zero
        var remainder = UInt256.zero
        for bit in stride(from: bitWidth - 1, through: 0, by: -1) {
            remainder = remainder.shiftedLeft(by: 1)
            if self.bit(bit) { remainder[limb: 0] |= 1 }
            if remainder >= divisor {
                remainder = remainder.subtractingReportingOverflow(divisor).partialValue
                quotient[limb: bit / 64] |= 1 << UInt64(bit % 64)
            }
        }
        return (quotient, remainder)
    }

    /// `self + other`, or an error when the sum exceeds 2²⁵⁶ − 1.
    public func adding(_ other: UInt256) throws(UInt256ArithmeticError) -> UInt256 {
        let (value, overflow) = addingReportingOverflow(other)
        if overflow { throw .overflow }
        return value
    }

    /// `self - other`, or an error when `other` is larger.
    public func subtracting(_ other: UInt256) throws(UInt256ArithmeticError) -> UInt256 {
        let (value, overflow) = subtractingReportingOverflow(other)
        if overflow { throw .overflow }
        return value
    }

    /// `self * other`, or an error when the product exceeds 2²⁵⁶ − 1.
    public func multiplied(by other: UInt256) throws(UInt256ArithmeticError) -> UInt256 {
        let (value, overflow) = multipliedReportingOverflow(by: other)
        if overflow { throw .overflow }
        return value
    }

    public static func + (lhs: UInt256, rhs: UInt256) -> UInt256 {
        let (value, overflow) = lhs.addingReportingOverflow(rhs)
        precondition(!overflow, "UInt256 addition overflow")
        return value
    }

    public static func - (lhs: UInt256, rhs: UInt256) -> UInt256 {
        let (value, overflow) = lhs.subtractingReportingOverflow(rhs)
        precondition(!overflow, "UInt256 subtraction overflow")
        return value
    }

    public static func * (lhs: UInt256, rhs: UInt256) -> UInt256 {
        let (value, overflow) = lhs.multipliedReportingOverflow(by: rhs)
        precondition(!overflow, "UInt256 multiplication overflow")
        return value
    }

    public static func / (lhs: UInt256, rhs: UInt256) -> UInt256 {
        guard let result = try? lhs.quotientAndRemainder(dividingBy: rhs) else { preconditionFailure("UInt256 division by zero") }
        return result.quotient
    }

    public static func % (lhs: UInt256, rhs: UInt256) -> UInt256 {
        guard let result = try? lhs.quotientAndRemainder(dividingBy: rhs) else { preconditionFailure("UInt256 division by zero") }
        return result.remainder
    }

    public static func += (lhs: inout UInt256, rhs: UInt256) { lhs = lhs + rhs }
    public static func -= (lhs: inout UInt256, rhs: UInt256) { lhs = lhs - rhs }
}
