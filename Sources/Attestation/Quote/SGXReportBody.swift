/// An SGX enclave report body (384 bytes): the body of an SGX quote, and the QE report inside every quote.
public struct SGXReportBody: Sendable, Equatable {
    public static let size = 384

    public let cpuSVN: [UInt8]
    public let miscSelect: [UInt8]
    public let attributes: [UInt8]
    public let mrEnclave: [UInt8]
    public let mrSigner: [UInt8]
    public let isvProdID: UInt16
    public let isvSVN: UInt16
    public let reportData: [UInt8]
    /// The 384 bytes as they appear in the quote (what the QE report signature covers).
    public let rawBytes: [UInt8]

    /// ATTRIBUTES bit 1 (DEBUG): a debug enclave's memory is readable by the host.
    public var isDebug: Bool { attributes[0] & 0x02 != 0 }

    init(reading reader: inout ByteReader, field: QuoteField) throws(QuoteParseError) {
        rawBytes = try reader.read(Self.size, field)
        var r = ByteReader(rawBytes)
        cpuSVN = try r.read(16, field)
        miscSelect = try r.read(4, field)
        _ = try r.read(28, field)
        attributes = try r.read(16, field)
        mrEnclave = try r.read(32, field)
        _ = try r.read(32, field)
        mrSigner = try r.read(32, field)
        _ = try r.read(96, field)
        isvProdID = try r.readUInt16(field)
        isvSVN = try r.readUInt16(field)
        _ = try r.read(60, field)
        reportData = try r.read(64, field)
    }
}
