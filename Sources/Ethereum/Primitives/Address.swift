import Secp256k1

/// A 20-byte Ethereum account address.
///
/// Parsing accepts all-lower-case or all-upper-case hex, and mixed case only when it is a valid EIP-55
/// checksum: a mixed-case address with a wrong checksum is a typo, and is rejected.
public struct Address: Hashable, Sendable, Comparable {
    /// The 20 bytes of the address.
    public let bytes: [UInt8]

    /// The zero address.
    public static let zero = Address(unchecked: [UInt8](repeating: 0, count: 20))

    /// The address of exactly 20 bytes, or `nil` for any other count.
    public init?(_ bytes: some Collection<UInt8>) {
        guard bytes.count == 20 else { return nil }
        self.bytes = Array(bytes)
    }

    init(unchecked bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The address of an account key: the last 20 bytes of keccak256 of the uncompressed public key
    /// without its `0x04` prefix.
    public init(publicKey: PublicKey) {
        let digest = Keccak256.hash(publicKey.uncompressed.dropFirst()).bytes
        self.bytes = Array(digest[12...])
    }

    /// Parses `0x`-prefixed hex, verifying the EIP-55 checksum when the letters are of mixed case.
    public init(hex: some StringProtocol) throws(AddressError) {
        let bytes: [UInt8]
        do { bytes = try Hex.decode(hex, requirePrefix: true) } catch { throw .invalidHex(error) }
        guard bytes.count == 20 else { throw .wrongLength(bytes.count) }
        self.bytes = bytes
        let letters = hex.dropFirst(2).filter(\.isLetter)
        let isMixedCase = letters.contains(where: \.isUppercase) && letters.contains(where: \.isLowercase)
        if isMixedCase && String(hex) != checksummed { throw .badChecksum }
    }

    /// The EIP-55 mixed-case checksum form: a hex letter is upper-case when the matching nibble of
    /// keccak256(lower-case hex) is 8 or more.
    public var checksummed: String {
        let lower = Array(Hex.encode(bytes, prefix: false).utf8)
        let digest = Keccak256.hash(lower).bytes
        var characters: [UInt8] = Array("0x".utf8)
        for (index, character) in lower.enumerated() {
            let nibble = index % 2 == 0 ? digest[index / 2] >> 4 : digest[index / 2] & 0x0F
            let isLetter = character >= 0x61
            characters.append(isLetter && nibble >= 8 ? character - 0x20 : character)
        }
        return String(decoding: characters, as: UTF8.self)
    }

    public static func < (lhs: Address, rhs: Address) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }
}

extension Address: CustomStringConvertible {
    public var description: String { checksummed }
}

extension Address: Codable {
    public init(from decoder: any Decoder) throws {
        try self.init(hex: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(checksummed)
    }
}

/// Why an address string was rejected.
public enum AddressError: Error, Equatable, Sendable {
    case invalidHex(HexError)
    case wrongLength(Int)
    case badChecksum
}
