/// Hex encodings as JSON-RPC defines them: *data* (`0x` and two digits per byte, any length including
/// empty) and *quantities* (`0x` and the shortest digits of a number, `0x0` for zero).
public enum Hex {
    /// Lower-case `0x`-prefixed hex of `bytes`.
    public static func encode(_ bytes: some Sequence<UInt8>, prefix: Bool = true) -> String {
        var characters: [UInt8] = prefix ? [0x30, 0x78] : []
        characters.reserveCapacity(characters.count + bytes.underestimatedCount * 2)
        for byte in bytes {
            characters.append(digits[Int(byte >> 4)])
            characters.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: characters, as: UTF8.self)
    }

    /// Decodes hex data. The `0x` prefix is optional unless `requirePrefix`; the digit count must be even.
    public static func decode(_ text: some StringProtocol, requirePrefix: Bool = false) throws(HexError) -> [UInt8] {
        let utf8 = Array(text.utf8)
        let hasPrefix = utf8.count >= 2 && utf8[0] == 0x30 && (utf8[1] == 0x78 || utf8[1] == 0x58)
        if requirePrefix && !hasPrefix { throw .missingPrefix }
        let digitsStart = hasPrefix ? 2 : 0
        let digitCount = utf8.count - digitsStart
        guard digitCount % 2 == 0 else { throw .oddLength }
        var bytes = [UInt8](repeating: 0, count: digitCount / 2)
        for index in 0..<bytes.count {
            let high = try value(of: utf8[digitsStart + 2 * index], at: digitsStart + 2 * index)
            let low = try value(of: utf8[digitsStart + 2 * index + 1], at: digitsStart + 2 * index + 1)
            bytes[index] = high << 4 | low
        }
        return bytes
    }

    /// The JSON-RPC quantity for `value`: `0x` then the digits without leading zeros (`0x0` for zero).
    public static func quantity(_ value: UInt256) -> String {
        "0x" + value.hexDigits
    }

    /// The JSON-RPC quantity for `value`.
    public static func quantity(_ value: some BinaryInteger & UnsignedInteger) -> String {
        "0x" + String(value, radix: 16)
    }

    /// Parses a JSON-RPC quantity strictly: `0x` prefix, at least one digit, no leading zeros.
    public static func parseQuantity(_ text: some StringProtocol) throws(HexError) -> UInt256 {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8[0] == 0x30, utf8[1] == 0x78 else { throw .missingPrefix }
        let digits = utf8[2...]
        guard !digits.isEmpty else { throw .emptyQuantity }
        guard digits.count == 1 || digits.first != 0x30 else { throw .leadingZeroInQuantity }
        guard digits.count <= 64 else { throw .quantityTooLarge }
        var value = UInt256.zero
        for (offset, character) in digits.enumerated() {
            let digit = try Hex.value(of: character, at: offset + 2)
            value = value.shiftedLeft(by: 4) | UInt256(UInt64(digit))
        }
        return value
    }

    static func value(of character: UInt8, at position: Int) throws(HexError) -> UInt8 {
        switch character {
        case 0x30...0x39: character - 0x30
        case 0x61...0x66: character - 0x61 + 10
        case 0x41...0x46: character - 0x41 + 10
        default: throw .invalidCharacter(position: position)
        }
    }

    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)
}

/// Why a hex string was rejected.
public enum HexError: Error, Equatable, Sendable {
    case missingPrefix
    case oddLength
    case invalidCharacter(position: Int)
    case emptyQuantity
    case leadingZeroInQuantity
    case quantityTooLarge
    case wrongLength(expected: Int, actual: Int)
}
