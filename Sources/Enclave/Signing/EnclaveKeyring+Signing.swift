import Ethereum

extension EnclaveKeyring {
    /// Signs `claim` in `domain` with the current key, or with the retiring key `signer` when the
    /// request was assigned before a rotation. Returns `r ‖ s ‖ v` (v = 27 or 28) as `ecrecover` takes it.
    public func sign(_ claim: ResultClaim, domain: EIP712Domain, as signer: Address? = nil) throws(ResultSigningError) -> MessageSignature {
        let address = signer ?? self.signer
        guard let key = key(for: address) else { throw .unknownKey(address) }
        let digest: Bytes32
        do { digest = try claim.eip712SigningHash(domain: domain) } catch { throw .typedData(error) }
        do { return try key.signMessageDigest(digest) } catch { throw .signingFailed }
    }
}

/// Why a result could not be signed.
public enum ResultSigningError: Error, Equatable, Sendable {
    /// No held key has this signer address (never held, or already retired).
    case unknownKey(Address)
    case typedData(EIP712Error)
    case signingFailed
}
