extension UInt256 {
    /// Whether bit `index` (0 = least significant) is set.
    public func bit(_ index: Int) -> Bool {
        guard (0..<256).contains(index) else { return false }
        return self[limb: index / 64] >> UInt64(index % 64) & 1 == 1
    }

    /// `self << count`, dropping bits shifted past 256.
    public func shiftedLeft(by count: Int) -> UInt256 {
        guard count > 0 else { return self }
        guard count < 256 else { return .zero }
        let limbShift = count / 64
        let bitShift = UInt64(count % 64)
        var result = UInt256.zero
        for index in stride(from: 3, through: limbShift, by: -1) {
            var limb = self[limb: index - limbShift] << bitShift
            if bitShift > 0 && index - limbShift - 1 >= 0 {
                limb |= self[limb: index - limbShift - 1] >> (64 - bitShift)
            }
            result[limb: index] = limb
        }
        return result
    }

    /// `self >> count`.
    public func shiftedRight(by count: Int) -> UInt256 {
        guard count > 0 else { return self }
        guard count < 256 else { return .zero }
        let limbShift = count / 64
        let bitShift = UInt64(count % 64)
        var result = UInt256.zero
        for index in 0..<(4 - limbShift) {
            var limb = self[limb: index + limbShift] >> bitShift
            if bitShift > 0 && index + limbShift + 1 < 4 {
                limb |= self[limb: index + limbShift + 1] << (64 - bitShift)
            }
            result[limb: index] = limb
        }
        return result
    }

    public static func | (lhs: UInt256, rhs: UInt256) -> UInt256 {
        UInt256(limbs: (lhs.limbs.0 | rhs.limbs.0, lhs.limbs.1 | rhs.limbs.1, lhs.limbs.2 | rhs.limbs.2, lhs.limbs.3 | rhs.limbs.3))
    }

    public static func & (lhs: UInt256, rhs: UInt256) -> UInt256 {
        UInt256(limbs: (lhs.limbs.0 & rhs.limbs.0, lhs.limbs.1 & rhs.limbs.1, lhs.limbs.2 & rhs.limbs.2, lhs.limbs.3 & rhs.limbs.3))
    }

    public static prefix func ~ (value: UInt256) -> UInt256 {
        UInt256(limbs: (~value.limbs.0, ~value.limbs.1, ~value.limbs.2, ~value.limbs.3))
    }
}
