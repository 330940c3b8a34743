/// The 64 bytes of REPORTDATA a quote binds. Cloister lays them out as Flashbots' TEE registry does:
/// signer address (20 bytes) ‖ keccak256(extData) (32 bytes) ‖ 12 zero bytes.
public struct ReportData: Sendable, Equatable {
    public static let size = 64

    public let bytes: [UInt8]

    /// Wraps exactly 64 bytes.
    public init(_ bytes: [UInt8]) throws(AttestationProviderError) {
        guard bytes.count == Self.size else { throw .reportDataSize(bytes.count) }
        self.bytes = bytes
    }

    /// `signerAddress` (20 bytes) ‖ `extDataHash` (32 bytes) ‖ zeros.
    public init(signerAddress: [UInt8], extDataHash: [UInt8]) throws(AttestationProviderError) {
        guard signerAddress.count == 20, extDataHash.count == 32 else {
            throw .reportDataSize(signerAddress.count + extDataHash.count)
        }
        bytes = signerAddress + extDataHash + [UInt8](repeating: 0, count: 12)
    }

    /// Bytes 0..<20: the enclave signer's address in Cloister's layout.
    public var signerAddress: [UInt8] { Array(bytes[0..<20]) }
    /// Bytes 20..<52: keccak256 of the extData the registration commits to.
    public var extDataHash: [UInt8] { Array(bytes[20..<52]) }
    /// Bytes 52..<64: zero in Cloister's layout.
    public var padding: [UInt8] { Array(bytes[52..<64]) }
}
