/// Intel's signed identity of the Quoting Enclave (`enclaveIdentity` JSON, version 2): who signs the QE,
/// which attribute and MISCSELECT bits it must have, and the status of each QE ISV SVN.
struct QEIdentity: Codable, Sendable {
    let id: String
    let version: Int
    let issueDate: TimestampField
    let nextUpdate: TimestampField
    let tcbEvaluationDataNumber: Int?
    let miscselect: HexField
    let miscselectMask: HexField
    let attributes: HexField
    let attributesMask: HexField
    let mrsigner: HexField
    let isvprodid: UInt16
    let tcbLevels: [ISVSVNLevel]
}
