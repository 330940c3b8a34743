extension UInt256 {
    /// Parses decimal digits, or hex digits after `0x`. Underscores are not accepted.
    public init(parsing text: some StringProtocol) throws(UInt256ParseError) {
        if text.hasPrefix("0x") || text.hasPrefix("0X") {
            let digits = text.dropFirst(2)
            guard !digits.isEmpty else { throw .empty }
            var value = UInt256.zero
            for character in digits.utf8 {
                guard value.bitWidth <= 252 else { throw .tooLarge }
                guard let digit = try? Hex.value(of: character, at: 0) else { throw .invalidDigit }
                value = value.shiftedLeft(by: 4) | UInt256(UInt64(digit))
            }
            self = value
        } else {
            guard !text.isEmpty else { throw .empty }
            var value = UInt256.zero
            for character in text.utf8 {
                guard (0x30...0x39).contains(character) else { throw .invalidDigit }
                guard let next = try? value.multiplied(by: 10).adding(UInt256(UInt64(character - 0x30))) else { throw .tooLarge }
                value = next
            }
            self = value
        }
    }

    /// Hex digits without prefix or leading zeros (`0` for zero).
    public var hexDigits: String {
        let hex = Hex.encode(bytes32.bytes, prefix: false)
        let trimmed = hex.drop(while: { $0 == "0" })
        return trimmed.isEmpty ? "0" : String(trimmed)
    }

    /// Decimal digits.
    public var decimalString: String {
        guard !isZero else { return "0" }
        var digits: [UInt8] = []
        var value = self
        let tenPow19 = UInt256(10_000_000_000_000_000_000)
        while !value.isZero {
            // Dividing by 10¹⁹ at a time keeps this to at most five long divisions.
            let (quotient, remainder) = try! value.quotientAndRemainder(dividingBy: tenPow19)
            var chunk = remainder.limbs.0
            for _ in 0..<19 {
                digits.append(UInt8(chunk % 10) + 0x30)
                chunk /= 10
                if quotient.isZero && chunk == 0 { break }
            }
            value = quotient
        }
        return String(decoding: digits.reversed(), as: UTF8.self)
    }
}

extension UInt256: CustomStringConvertible {
    public var description: String { decimalString }
}

extension UInt256: Codable {
    /// Decodes a JSON-RPC quantity (`"0x1a"`), a decimal string, or a JSON number.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(UInt64.self) {
            self.init(number)
        } else {
            try self.init(parsing: container.decode(String.self))
        }
    }

    /// Encodes as a JSON-RPC quantity.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Hex.quantity(self))
    }
}

/// Why a number string was rejected.
public enum UInt256ParseError: Error, Equatable, Sendable {
    case empty
    case invalidDigit
    case tooLarge
    case tooManyDecimals(allowed: Int)
}
