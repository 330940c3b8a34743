import Crypto
import Ethereum
import Secp256k1

/// Opens envelopes addressed to one enclave key: the enclave side of a confidential request.
public struct EnvelopeOpener: Sendable {
    private let key: PrivateKey
    private let publicKey: PublicKey
    /// The enclave signer address of the key (named in `notARecipient`).
    public let address: Address

    public init(key: PrivateKey) {
        self.key = key
        publicKey = key.publicKey
        address = Address(publicKey: publicKey)
    }

    /// Checks the envelope is bound to `expected` (the request as the chain reports it), finds this
    /// key's entry (by public key), unwraps the data key, checks it against the key commitment and
    /// decrypts the payload.
    public func open(_ envelope: Envelope, expecting expected: EnvelopeContext) throws(EnvelopeError) -> OpenedEnvelope {
        if let field = envelope.context.firstMismatch(against: expected) { throw .contextMismatch(field) }
        guard let entry = envelope.recipients.first(where: { $0.recipientKey == publicKey }) else {
            throw .notARecipient(address)
        }
        let dataKey = try unwrap(entry, in: envelope)
        let payload: [UInt8]
        do {
            let box = try AES.GCM.SealedBox(
                nonce: AES.GCM.Nonce(data: envelope.payloadNonce),
                ciphertext: envelope.payloadCiphertext, tag: envelope.payloadTag)
            payload = Array(try AES.GCM.open(box, using: dataKey.payloadKey(), authenticating: envelope.authenticatedHeader))
        } catch {
            throw .payloadAuthenticationFailed
        }
        return OpenedEnvelope(payload: payload, commitmentSalt: dataKey.commitmentSalt())
    }

    /// Parses and opens encoded envelope bytes.
    public func open(
        _ bytes: [UInt8], expecting expected: EnvelopeContext,
        limits: EnvelopeLimits = EnvelopeLimits()
    ) throws(EnvelopeError) -> OpenedEnvelope {
        try open(Envelope(bytes: bytes, limits: limits), expecting: expected)
    }

    /// `D' = W XOR KEK` with `S = d·E`; `D'` must match the header's key commitment.
    private func unwrap(_ entry: WrappedDataKey, in envelope: Envelope) throws(EnvelopeError) -> DataKey {
        var shared: [UInt8]
        do { shared = try key.sharedPoint(with: entry.ephemeralKey) } catch { throw .keyCommitmentMismatch }
        var kek = KeyWrap.kek(
            keyHeader: envelope.keyHeader, sharedPoint: shared, ephemeralKey: entry.ephemeralKey,
            recipientKey: entry.recipientKey)
        var bytes = KeyWrap.xor(entry.wrappedKey, kek)
        defer {
            shared.wipe()
            kek.wipe()
            bytes.wipe()
        }
        guard let dataKey = DataKey(bytes: bytes), dataKey.keyCommitment() == envelope.keyCommitment else {
            throw .keyCommitmentMismatch
        }
        return dataKey
    }
}
