import Attestation

extension EnclaveKeyring {
    /// A quote from `provider` binding the current signer to `extData` in REPORTDATA: the evidence a
    /// registration (or renewal after rotation) submits.
    public func attest(extData: AttestationExtData, using provider: any AttestationProvider) async throws(AttestationProviderError) -> KeyAttestation {
        let reportData = ReportData(signer: signer, extData: extData)
        let quote = try await provider.quote(reportData: reportData.bytes)
        return KeyAttestation(reportData: reportData, extData: extData, quote: quote)
    }
}

/// A quote over an enclave key's REPORTDATA, with what it commits to.
public struct KeyAttestation: Hashable, Sendable {
    public let reportData: ReportData
    public let extData: AttestationExtData
    /// The raw quote bytes; its digest on chain is keccak256 of these.
    public let quote: [UInt8]
}
