/// The 48-byte header that starts every DCAP quote (v3, v4 and v5 share the layout).
public struct QuoteHeader: Sendable, Equatable {
    /// Byte length of the header.
    public static let size = 48
    /// Attestation key type 2: ECDSA-256 with the P-256 curve, the only type DCAP quotes use today.
    public static let ecdsaP256KeyType: UInt16 = 2
    /// Intel's QE vendor id, `939A7233F79C4CA9940A0DB3957F0607`.
    public static let intelQEVendorID: [UInt8] = [
        0x93, 0x9a, 0x72, 0x33, 0xf7, 0x9c, 0x4c, 0xa9, 0x94, 0x0a, 0x0d, 0xb3, 0x95, 0x7f, 0x06, 0x07
    ]

    public let version: UInt16
    public let attestationKeyType: UInt16
    public let teeType: TEEType
    /// Bytes 8..<12: QE and PCE SVN in v3 quotes, reserved in v4 and v5.
    public let qeSVN: UInt16
    public let pceSVN: UInt16
    public let qeVendorID: [UInt8]
    public let userData: [UInt8]

    init(reading reader: inout ByteReader) throws(QuoteParseError) {
        version = try reader.readUInt16(.header)
        attestationKeyType = try reader.readUInt16(.header)
        let rawTEE = try reader.readUInt32(.header)
        qeSVN = try reader.readUInt16(.header)
        pceSVN = try reader.readUInt16(.header)
        qeVendorID = try reader.read(16, .header)
        userData = try reader.read(20, .header)
        guard [3, 4, 5].contains(version) else { throw .unsupportedVersion(version) }
        guard attestationKeyType == Self.ecdsaP256KeyType else { throw .unsupportedAttestationKeyType(attestationKeyType) }
        guard let tee = TEEType(rawValue: rawTEE) else { throw .unsupportedTEEType(rawTEE) }
        if version == 3, tee != .sgx { throw .unsupportedTEEType(rawTEE) }
        teeType = tee
    }
}

/// The trusted execution environment a quote comes from.
public enum TEEType: UInt32, Sendable, Equatable {
    case sgx = 0x00
    case tdx = 0x81
}
