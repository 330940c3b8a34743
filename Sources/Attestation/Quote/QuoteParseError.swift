/// The part of a quote that a parse error refers to.
public enum QuoteField: String, Sendable, Equatable {
    case header, reportBodyDescriptor, reportBody, signatureDataLength, signatureData
    case quoteSignature, attestationKey, certificationDataHeader, certificationData
    case qeReport, qeReportSignature, qeAuthDataLength, qeAuthData
    case pckCertificationDataHeader, pckCertificationData
}

/// Why a byte string is not a well-formed quote. Every case is a property of the input bytes,
/// never of the parser, so hostile input ends here instead of crashing.
public enum QuoteParseError: Error, Equatable, Sendable, CustomStringConvertible {
    case truncated(field: QuoteField, offset: Int, needed: Int, available: Int)
    case declaredLengthTooLarge(field: QuoteField, declared: Int, available: Int)
    case unsupportedVersion(UInt16)
    case unsupportedAttestationKeyType(UInt16)
    case unsupportedTEEType(UInt32)
    case unsupportedBodyType(UInt16)
    case bodySizeMismatch(bodyType: UInt16, declared: UInt32, expected: Int)
    case teeTypeMismatchesBody(teeType: UInt32, bodyType: UInt16)
    case unexpectedCertificationDataType(found: UInt16, expected: UInt16)
    case certificationDataSizeMismatch(declared: UInt32, parsed: Int)

    public var description: String {
        switch self {
        case let .truncated(field, offset, needed, available):
            "quote truncated in \(field.rawValue) at offset \(offset): needs \(needed) bytes, \(available) left"
        case let .declaredLengthTooLarge(field, declared, available):
            "\(field.rawValue) declares \(declared) bytes but only \(available) remain"
        case let .unsupportedVersion(v): "unsupported quote version \(v) (supported: 3, 4, 5)"
        case let .unsupportedAttestationKeyType(t): "unsupported attestation key type \(t) (only 2, ECDSA P-256)"
        case let .unsupportedTEEType(t): "unsupported TEE type 0x\(String(t, radix: 16)) (SGX 0x0, TDX 0x81)"
        case let .unsupportedBodyType(t): "unsupported v5 report body type \(t)"
        case let .bodySizeMismatch(t, declared, expected):
            "v5 report body type \(t) declares \(declared) bytes, expected \(expected)"
        case let .teeTypeMismatchesBody(tee, body):
            "TEE type 0x\(String(tee, radix: 16)) does not match report body type \(body)"
        case let .unexpectedCertificationDataType(found, expected):
            "certification data type \(found), expected \(expected)"
        case let .certificationDataSizeMismatch(declared, parsed):
            "certification data declares \(declared) bytes but its contents take \(parsed)"
        }
    }
}
