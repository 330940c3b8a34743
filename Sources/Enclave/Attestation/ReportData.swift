import Ethereum

/// The 64 bytes a quote carries for the enclave: `signer address (20) ‖ keccak256(extData) (32) ‖ zeros (12)`.
///
/// This is the layout the registry checks on chain (at offset 568 of a TDX v4 quote): it ties the
/// attested workload to one enclave signer and to the chain, registry, operator, software version and expiry.
public struct ReportData: Hashable, Sendable {
    public static let size = 64

    /// The enclave signer the quote vouches for.
    public let signer: Address
    /// keccak256 of the ABI-encoded ``AttestationExtData``.
    public let extDataHash: Bytes32

    public init(signer: Address, extData: AttestationExtData) {
        self.signer = signer
        extDataHash = extData.hash
    }

    /// Splits REPORTDATA read from a quote; the last 12 bytes must be zero.
    public init(bytes: [UInt8]) throws(ReportDataError) {
        guard bytes.count == Self.size else { throw .wrongLength(bytes.count) }
        guard bytes[52...].allSatisfy({ $0 == 0 }) else { throw .nonZeroPadding }
        guard let signer = Address(bytes[0..<20]), let hash = Bytes32(bytes[20..<52]) else { throw .wrongLength(bytes.count) }
        self.signer = signer
        extDataHash = hash
    }

    /// The 64 bytes to request a quote for.
    public var bytes: [UInt8] {
        signer.bytes + extDataHash.bytes + [UInt8](repeating: 0, count: 12)
    }

    /// Whether this binds `signer` to exactly `extData`.
    public func binds(signer expectedSigner: Address, extData: AttestationExtData) -> Bool {
        signer == expectedSigner && extDataHash == extData.hash
    }
}

/// Why 64 bytes are not a Cloister REPORTDATA.
public enum ReportDataError: Error, Equatable, Sendable {
    case wrongLength(Int)
    case nonZeroPadding
}
