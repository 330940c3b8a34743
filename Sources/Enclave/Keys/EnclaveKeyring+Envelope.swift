extension EnclaveKeyring {
    /// Opens an envelope with whichever held key (current first, then retiring) it is addressed to.
    public func open(_ envelope: Envelope, expecting context: EnvelopeContext) throws(EnvelopeError) -> OpenedEnvelope {
        for address in [signer] + retiringSigners where envelope.recipientAddresses.contains(address) {
            if let key = key(for: address) {
                return try EnvelopeOpener(key: key).open(envelope, expecting: context)
            }
        }
        throw .notARecipient(signer)
    }
}
