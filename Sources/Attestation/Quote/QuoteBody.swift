/// The attested report inside a quote: an SGX enclave report or a TDX TD report.
public enum QuoteBody: Sendable, Equatable {
    case sgx(SGXReportBody)
    case td(TDReportBody)

    /// The 64 bytes the attested software chose to bind (REPORTDATA).
    public var reportData: [UInt8] {
        switch self {
        case .sgx(let body): body.reportData
        case .td(let body): body.reportData
        }
    }

    /// True when the enclave or TD runs in debug mode.
    public var isDebug: Bool {
        switch self {
        case .sgx(let body): body.isDebug
        case .td(let body): body.isDebug
        }
    }

    /// v5 body types (TDX/SGX quote format 5, `body.type`).
    enum V5Type: UInt16 {
        case sgx = 1, td10 = 2, td15 = 3

        var size: Int {
            switch self {
            case .sgx: SGXReportBody.size
            case .td10: TDReportBody.size10
            case .td15: TDReportBody.size15
            }
        }
    }

    /// Reads the body that follows the header: its shape depends on the version and TEE type.
    init(reading reader: inout ByteReader, header: QuoteHeader) throws(QuoteParseError) {
        guard header.version == 5 else {
            switch header.teeType {
            case .sgx: self = .sgx(try SGXReportBody(reading: &reader, field: .reportBody))
            case .tdx: self = .td(try TDReportBody(reading: &reader, isTDX15: false))
            }
            return
        }
        let rawType = try reader.readUInt16(.reportBodyDescriptor)
        let declaredSize = try reader.readUInt32(.reportBodyDescriptor)
        guard let type = V5Type(rawValue: rawType) else { throw .unsupportedBodyType(rawType) }
        guard declaredSize == UInt32(type.size) else {
            throw .bodySizeMismatch(bodyType: rawType, declared: declaredSize, expected: type.size)
        }
        switch (type, header.teeType) {
        case (.sgx, .sgx): self = .sgx(try SGXReportBody(reading: &reader, field: .reportBody))
        case (.td10, .tdx): self = .td(try TDReportBody(reading: &reader, isTDX15: false))
        case (.td15, .tdx): self = .td(try TDReportBody(reading: &reader, isTDX15: true))
        default: throw .teeTypeMismatchesBody(teeType: header.teeType.rawValue, bodyType: rawType)
        }
    }
}
