/// Denominations of ether, for reading and printing amounts held in wei.
public enum EtherUnit: Int, Sendable, CaseIterable {
    case wei = 0
    case gwei = 9
    case ether = 18

    /// Decimal places from this unit down to wei.
    public var decimals: Int { rawValue }

    /// The symbol printed after an amount.
    public var symbol: String {
        switch self {
        case .wei: "wei"
        case .gwei: "gwei"
        case .ether: "ETH"
        }
    }
}

extension UInt256 {
    /// Parses an amount such as `1.5` in `unit` into wei; more decimals than the unit has is an error.
    public init(amount text: some StringProtocol, unit: EtherUnit) throws(UInt256ParseError) {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count > 1 ? parts[1] : ""
        guard fraction.count <= unit.decimals else { throw .tooManyDecimals(allowed: unit.decimals) }
        guard !(whole.isEmpty && fraction.isEmpty) else { throw .empty }
        let digits = String(whole.isEmpty ? "0" : whole) + fraction + String(repeating: "0", count: unit.decimals - fraction.count)
        guard !digits.hasPrefix("0x") else { throw .invalidDigit }
        try self.init(parsing: digits)
    }

    /// The wei amount written in `unit`, with trailing fractional zeros removed: `1.5 ETH`.
    public func formatted(in unit: EtherUnit) -> String {
        let digits = decimalString
        guard unit.decimals > 0 else { return "\(digits) \(unit.symbol)" }
        let padded = String(repeating: "0", count: Swift.max(0, unit.decimals + 1 - digits.count)) + digits
        let whole = padded.dropLast(unit.decimals)
        let fraction = padded.suffix(unit.decimals).reversed().drop(while: { $0 == "0" }).reversed()
        return fraction.isEmpty ? "\(whole) \(unit.symbol)" : "\(whole).\(String(fraction)) \(unit.symbol)"
    }
}
