/// Intel's signed TCB info for one FMSPC (`tcbInfo` JSON, versions 2 and 3): the TCB levels of the
/// platform, newest first, each with a status and advisories; for TDX also the TDX module identities.
struct TCBInfo: Codable, Sendable {
    let id: String?
    let version: Int
    let issueDate: TimestampField
    let nextUpdate: TimestampField
    let fmspc: HexField
    let pceId: HexField
    let tcbType: Int?
    let tcbEvaluationDataNumber: Int?
    let tdxModule: TDXModule?
    let tdxModuleIdentities: [TDXModuleIdentity]?
    let tcbLevels: [TCBLevel]

    /// The identity of the TDX module signer (tcbInfo v3 `tdxModule`).
    struct TDXModule: Codable, Sendable {
        let mrsigner: HexField
        let attributes: HexField
        let attributesMask: HexField
    }

    /// A TDX module version's identity and its TCB levels (tcbInfo v3 `tdxModuleIdentities`).
    struct TDXModuleIdentity: Codable, Sendable {
        let id: String
        let mrsigner: HexField
        let attributes: HexField
        let attributesMask: HexField
        let tcbLevels: [ISVSVNLevel]
    }

    struct TCBLevel: Codable, Sendable {
        let tcb: TCBComponents
        let tcbDate: TimestampField?
        let tcbStatus: TCBStatus
        let advisoryIDs: [String]?
    }

    /// The SVNs a level requires: 16 SGX components and the PCE SVN; for TDX also 16 TDX components.
    struct TCBComponents: Codable, Sendable {
        let sgxComponents: [UInt8]
        let pceSVN: UInt16
        let tdxComponents: [UInt8]?

        private struct Component: Codable { let svn: UInt8 }
        private struct Key: CodingKey {
            let stringValue: String
            init(_ s: String) { stringValue = s }
            init?(stringValue: String) { self.stringValue = stringValue }
            var intValue: Int? { nil }
            init?(intValue: Int) { nil }
        }

        init(sgxComponents: [UInt8], pceSVN: UInt16, tdxComponents: [UInt8]?) {
            self.sgxComponents = sgxComponents
            self.pceSVN = pceSVN
            self.tdxComponents = tdxComponents
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(sgxComponents.map { Component(svn: $0) }, forKey: Key("sgxtcbcomponents"))
            try c.encode(pceSVN, forKey: Key("pcesvn"))
            try c.encodeIfPresent(tdxComponents?.map { Component(svn: $0) }, forKey: Key("tdxtcbcomponents"))
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Key.self)
            pceSVN = try c.decode(UInt16.self, forKey: Key("pcesvn"))
            if c.contains(Key("sgxtcbcomponents")) {
                sgxComponents = try c.decode([Component].self, forKey: Key("sgxtcbcomponents")).map(\.svn)
                tdxComponents = try c.decodeIfPresent([Component].self, forKey: Key("tdxtcbcomponents"))?.map(\.svn)
            } else {
                sgxComponents = try (1...16).map { i in
                    try c.decode(UInt8.self, forKey: Key("sgxtcbcomp\(i < 10 ? "0" : "")\(i)svn"))
                }
                tdxComponents = nil
            }
            guard sgxComponents.count == 16, tdxComponents.map({ $0.count == 16 }) ?? true else {
                throw DecodingError.dataCorrupted(
                    .init(
                        codingPath: decoder.codingPath,
                        debugDescription: "a TCB level needs 16 components"))
            }
        }
    }
}
