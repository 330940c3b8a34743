import Crypto
import Ethereum
import Secp256k1

/// Opens envelopes addressed to one enclave key: the enclave side of a confidential request.
public struct EnvelopeOpener: Sendable {
    private let key: PrivateKey
    private let publicKey: PublicKey
    /// The enclave signer address this opener looks for among the recipients.
    public let address: Address

    public init(key: PrivateKey) {
        self.key = key
        publicKey = key.publicKey
        address = Address(publicKey: publicKey)
    }

    /// Checks the envelope is bound to `expected` (the request as the chain reports it), finds this
    /// key's entry, unwraps the data key and decrypts the payload.
    public func open(_ envelope: Envelope, expecting expected: EnvelopeContext) throws(EnvelopeError) -> OpenedEnvelope {
        if let field = envelope.context.firstMismatch(against: expected) { throw .contextMismatch(field) }
        guard let entry = envelope.recipients.first(where: { $0.recipient == address }) else {
            throw .notARecipient(address)
        }
        let dataKey = try unwrap(entry, in: envelope)
        let payload: [UInt8]
        do {
            let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: envelope.payloadNonce),
                                            ciphertext: envelope.payloadCiphertext, tag: envelope.payloadTag)
            payload = Array(try AES.GCM.open(box, using: dataKey.payloadKey(), authenticating: envelope.authenticatedHeader))
        } catch {
            throw .payloadAuthenticationFailed
        }
        return OpenedEnvelope(payload: payload, commitmentSalt: dataKey.commitmentSalt())
    }

    /// Parses and opens encoded envelope bytes.
    public func open(_ bytes: [UInt8], expecting expected: EnvelopeContext,
                     limits: EnvelopeLimits = EnvelopeLimits()) throws(EnvelopeError) -> OpenedEnvelope {
        try open(Envelope(bytes: bytes, limits: limits), expecting: expected)
    }

    private func unwrap(_ entry: WrappedDataKey, in envelope: Envelope) throws(EnvelopeError) -> DataKey {
        do {
            let wrapKey = try MessageKey(agreementOf: key, with: envelope.ephemeralKey, salt: envelope.keyScheduleHeader,
                                         info: DomainLabel.envelopeWrap + publicKey.compressed)
            var bytes = try wrapKey.open(ciphertext: entry.ciphertext, tag: entry.tag, authenticating: [])
            defer { bytes.wipe() }
            guard let dataKey = DataKey(bytes: bytes) else { throw EnvelopeError.keyUnwrapFailed }
            return dataKey
        } catch {
            throw .keyUnwrapFailed
        }
    }
}
