/// A TDX TD report body: 584 bytes for TDX 1.0 (quote v4, v5 type 2), 648 bytes for TDX 1.5 (v5 type 3).
public struct TDReportBody: Sendable, Equatable {
    public static let size10 = 584
    public static let size15 = 648

    public let teeTCBSVN: [UInt8]
    public let mrSeam: [UInt8]
    public let mrSignerSeam: [UInt8]
    public let seamAttributes: [UInt8]
    public let tdAttributes: [UInt8]
    public let xfam: [UInt8]
    public let mrTD: [UInt8]
    public let mrConfigID: [UInt8]
    public let mrOwner: [UInt8]
    public let mrOwnerConfig: [UInt8]
    /// RTMR0 through RTMR3, 48 bytes each.
    public let rtmrs: [[UInt8]]
    public let reportData: [UInt8]
    /// TDX 1.5 only: TEE_TCB_SVN2 and MRSERVICETD.
    public let teeTCBSVN2: [UInt8]?
    public let mrServiceTD: [UInt8]?

    /// TD ATTRIBUTES bit 0 (DEBUG): the TD runs in debug mode and the host can read its state.
    public var isDebug: Bool { tdAttributes[0] & 0x01 != 0 }

    init(reading reader: inout ByteReader, isTDX15: Bool) throws(QuoteParseError) {
        teeTCBSVN = try reader.read(16, .reportBody)
        mrSeam = try reader.read(48, .reportBody)
        mrSignerSeam = try reader.read(48, .reportBody)
        seamAttributes = try reader.read(8, .reportBody)
        tdAttributes = try reader.read(8, .reportBody)
        xfam = try reader.read(8, .reportBody)
        mrTD = try reader.read(48, .reportBody)
        mrConfigID = try reader.read(48, .reportBody)
        mrOwner = try reader.read(48, .reportBody)
        mrOwnerConfig = try reader.read(48, .reportBody)
        var measured: [[UInt8]] = []
        for _ in 0..<4 { measured.append(try reader.read(48, .reportBody)) }
        rtmrs = measured
        reportData = try reader.read(64, .reportBody)
        if isTDX15 {
            teeTCBSVN2 = try reader.read(16, .reportBody)
            mrServiceTD = try reader.read(48, .reportBody)
        } else {
            teeTCBSVN2 = nil
            mrServiceTD = nil
        }
    }
}
