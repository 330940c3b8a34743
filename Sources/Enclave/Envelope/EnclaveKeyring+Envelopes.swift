import Ethereum
import Secp256k1

extension EnclaveKeyring {
    /// Opens an envelope addressed to one of the held keys (the current key, or a retiring key for
    /// requests addressed before a rotation), matched by public key, after checking it is bound to
    /// `expected`. Returns the opened payload and the signer address of the key that opened it (which
    /// must also sign the result).
    public func open(
        _ bytes: [UInt8], expecting expected: EnvelopeContext,
        limits: EnvelopeLimits = EnvelopeLimits()
    ) throws(EnvelopeError) -> (opened: OpenedEnvelope, signer: Address) {
        let envelope = try Envelope(bytes: bytes, limits: limits)
        guard let key = openingKey(for: envelope) else { throw .notARecipient(signer) }
        return (try EnvelopeOpener(key: key).open(envelope, expecting: expected), Address(publicKey: key.publicKey))
    }

    /// Opens a parsed envelope with whichever held key (current first, then retiring) it is addressed to.
    public func open(_ envelope: Envelope, expecting context: EnvelopeContext) throws(EnvelopeError) -> OpenedEnvelope {
        guard let key = openingKey(for: envelope) else { throw .notARecipient(signer) }
        return try EnvelopeOpener(key: key).open(envelope, expecting: context)
    }

    /// The first held key, current then retiring, whose public key is among the envelope's recipients.
    private func openingKey(for envelope: Envelope) -> PrivateKey? {
        let recipients = Set(envelope.recipientKeys)
        return heldKeys.first { recipients.contains($0.publicKey) }
    }
}
