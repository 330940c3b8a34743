import Ethereum

extension EnclaveKeyring {
    /// Opens an envelope addressed to one of the held keys (the current key, or a retiring key for
    /// requests addressed before a rotation), after checking it is bound to `expected`.
    /// Returns the opened payload and the key that opened it (which must also sign the result).
    public func open(_ bytes: [UInt8], expecting expected: EnvelopeContext,
                     limits: EnvelopeLimits = EnvelopeLimits()) throws(EnvelopeError) -> (opened: OpenedEnvelope, signer: Address) {
        let envelope = try Envelope(bytes: bytes, limits: limits)
        for entry in envelope.recipients {
            if let key = key(for: entry.recipient) {
                return (try EnvelopeOpener(key: key).open(envelope, expecting: expected), entry.recipient)
            }
        }
        throw .notARecipient(signer)
    }
}
