import SwiftASN1
import X509

extension SGXPCKExtension {
    /// The extension as a certificate extension (used to issue simulated PCK certificates).
    public func certificateExtension() throws -> Certificate.Extension {
        var coder = DER.Serializer()
        try coder.appendConstructedNode(identifier: .sequence) { root in
            try Self.entry(Self.arc(1), into: &root) { try $0.serialize(ASN1OctetString(contentBytes: ArraySlice(ppid))) }
            try Self.entry(Self.arc(2), into: &root) { tcb in
                try tcb.appendConstructedNode(identifier: .sequence) { list in
                    for (index, svn) in tcbComponents.enumerated() {
                        try Self.entry(Self.tcbArc(UInt(index + 1)), into: &list) { try $0.serialize(Int(svn)) }
                    }
                    try Self.entry(Self.tcbArc(17), into: &list) { try $0.serialize(Int(pceSVN)) }
                    try Self.entry(Self.tcbArc(18), into: &list) { try $0.serialize(ASN1OctetString(contentBytes: ArraySlice(cpuSVN))) }
                }
            }
            try Self.entry(Self.arc(3), into: &root) { try $0.serialize(ASN1OctetString(contentBytes: ArraySlice(pceID))) }
            try Self.entry(Self.arc(4), into: &root) { try $0.serialize(ASN1OctetString(contentBytes: ArraySlice(fmspc))) }
            try Self.entry(Self.arc(5), into: &root) { $0.appendPrimitiveNode(identifier: .enumerated) { $0.append(0) } }
        }
        return Certificate.Extension(oid: Self.oid, critical: false, value: ArraySlice(coder.serializedBytes))
    }

    /// SEQUENCE { oid, value }.
    private static func entry(
        _ oid: ASN1ObjectIdentifier, into coder: inout DER.Serializer, _ value: (inout DER.Serializer) throws -> Void
    ) throws {
        try coder.appendConstructedNode(identifier: .sequence) { pair in
            try pair.serialize(oid)
            try value(&pair)
        }
    }
}
