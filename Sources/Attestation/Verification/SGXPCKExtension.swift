import SwiftASN1
import X509

/// The Intel SGX extension of a PCK certificate (OID 1.2.840.113741.1.13.1): the platform's TCB
/// (16 component SVNs, PCE SVN, CPU SVN), its PCE id and its FMSPC (family-model-stepping-platform-custom SKU).
public struct SGXPCKExtension: Sendable, Equatable {
    public static let oid: ASN1ObjectIdentifier = [1, 2, 840, 113741, 1, 13, 1]

    public var ppid: [UInt8]
    public var tcbComponents: [UInt8]
    public var pceSVN: UInt16
    public var cpuSVN: [UInt8]
    public var pceID: [UInt8]
    public var fmspc: [UInt8]

    public init(ppid: [UInt8], tcbComponents: [UInt8], pceSVN: UInt16, cpuSVN: [UInt8], pceID: [UInt8], fmspc: [UInt8]) {
        self.ppid = ppid
        self.tcbComponents = tcbComponents
        self.pceSVN = pceSVN
        self.cpuSVN = cpuSVN
        self.pceID = pceID
        self.fmspc = fmspc
    }

    /// Reads the extension from a PCK certificate.
    public init(certificate: Certificate) throws(DCAPVerificationError) {
        guard let ext = certificate.extensions[oid: Self.oid] else {
            throw .pckExtensionMalformed("the PCK certificate has no SGX extension")
        }
        do {
            self = try Self(der: Array(ext.value))
        } catch {
            throw .pckExtensionMalformed("\(error)")
        }
    }

    static func arc(_ last: UInt) -> ASN1ObjectIdentifier { [1, 2, 840, 113741, 1, 13, 1, last] }
    static func tcbArc(_ last: UInt) -> ASN1ObjectIdentifier { [1, 2, 840, 113741, 1, 13, 1, 2, last] }

    private init(der: [UInt8]) throws {
        var values: [ASN1ObjectIdentifier: ASN1Node] = [:]
        for (oid, node) in try Self.pairs(DER.parse(der)) { values[oid] = node }
        func octets(_ last: UInt, count: Int) throws -> [UInt8] {
            guard let node = values[Self.arc(last)] else { throw ASN1Error.invalidASN1Object(reason: "missing \(last)") }
            let bytes = Array(try ASN1OctetString(derEncoded: node).bytes)
            guard bytes.count == count else { throw ASN1Error.invalidASN1Object(reason: "field \(last) has \(bytes.count) bytes") }
            return bytes
        }
        ppid = try octets(1, count: 16)
        pceID = try octets(3, count: 2)
        fmspc = try octets(4, count: 6)
        guard let tcbNode = values[Self.arc(2)] else { throw ASN1Error.invalidASN1Object(reason: "missing TCB") }
        var tcb: [ASN1ObjectIdentifier: ASN1Node] = [:]
        for (oid, node) in try Self.pairs(tcbNode) { tcb[oid] = node }
        tcbComponents = try (1...16).map { i -> UInt8 in
            guard let node = tcb[Self.tcbArc(UInt(i))], let svn = UInt8(exactly: try Int(derEncoded: node)) else {
                throw ASN1Error.invalidASN1Object(reason: "TCB component \(i)")
            }
            return svn
        }
        guard let pceNode = tcb[Self.tcbArc(17)], let pce = UInt16(exactly: try Int(derEncoded: pceNode)) else {
            throw ASN1Error.invalidASN1Object(reason: "PCESVN")
        }
        pceSVN = pce
        guard let cpuNode = tcb[Self.tcbArc(18)] else { throw ASN1Error.invalidASN1Object(reason: "CPUSVN") }
        cpuSVN = Array(try ASN1OctetString(derEncoded: cpuNode).bytes)
        guard cpuSVN.count == 16 else { throw ASN1Error.invalidASN1Object(reason: "CPUSVN length") }
    }

    /// A SEQUENCE of SEQUENCE { OID, value } as (OID, value node) pairs.
    private static func pairs(_ node: ASN1Node) throws -> [(ASN1ObjectIdentifier, ASN1Node)] {
        guard node.identifier == .sequence, case .constructed(let children) = node.content else {
            throw ASN1Error.unexpectedFieldType(node.identifier)
        }
        return try children.map { child in
            try DER.sequence(child, identifier: .sequence) { nodes in
                guard let oidNode = nodes.next(), let value = nodes.next() else {
                    throw ASN1Error.invalidASN1Object(reason: "incomplete SGX extension entry")
                }
                return (try ASN1ObjectIdentifier(derEncoded: oidNode), value)
            }
        }
    }
}
