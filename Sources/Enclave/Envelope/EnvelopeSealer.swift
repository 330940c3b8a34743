import Crypto
import Ethereum
import Secp256k1

/// Builds envelopes for a set of recipient enclaves: the dApp side of a confidential request.
///
/// Verify each recipient's attestation (from the chain) before passing its key here: whoever holds a
/// recipient key can read the payload.
public struct EnvelopeSealer: Sendable {
    /// The request the envelopes are bound to.
    public let context: EnvelopeContext
    public let limits: EnvelopeLimits

    public init(context: EnvelopeContext, limits: EnvelopeLimits = EnvelopeLimits()) {
        self.context = context
        self.limits = limits
    }

    /// Encrypts `payload` so that each of `recipients` (enclave public keys) can open it, with a fresh
    /// data key, ephemeral key and nonce from the system CSPRNG.
    public func seal(_ payload: [UInt8], for recipients: [PublicKey]) throws(EnvelopeError) -> SealedEnvelope {
        let material = EnvelopeSealingMaterial(dataKey: DataKey(), ephemeralKey: PrivateKey(),
                                               payloadNonce: Array(AES.GCM.Nonce()))
        return try seal(payload, for: recipients, material: material)
    }

    /// Seals with caller-chosen secrets. Only for reproducible test vectors: reusing material across
    /// envelopes breaks their confidentiality.
    package func seal(_ payload: [UInt8], for recipients: [PublicKey],
                      material: EnvelopeSealingMaterial) throws(EnvelopeError) -> SealedEnvelope {
        try checkShape(payloadSize: payload.count, recipients: recipients)
        let ephemeralPublicKey = material.ephemeralKey.publicKey
        let salt = Envelope.keyScheduleHeader(context: context, ephemeralKey: ephemeralPublicKey)
        var dataKeyBytes = material.dataKey.copyBytes()
        defer { dataKeyBytes.wipe() }
        var entries: [WrappedDataKey] = []
        entries.reserveCapacity(recipients.count)
        do {
            for recipient in recipients {
                let wrapKey = try MessageKey(agreementOf: material.ephemeralKey, with: recipient, salt: salt,
                                             info: DomainLabel.envelopeWrap + recipient.compressed)
                let wrapped = try wrapKey.seal(dataKeyBytes, authenticating: [])
                entries.append(WrappedDataKey(recipient: Address(publicKey: recipient),
                                              ciphertext: wrapped.ciphertext, tag: wrapped.tag))
            }
            let header = Envelope.authenticatedHeader(context: context, ephemeralKey: ephemeralPublicKey, recipients: entries)
            let box = try AES.GCM.seal(payload, using: material.dataKey.payloadKey(),
                                       nonce: AES.GCM.Nonce(data: material.payloadNonce), authenticating: header)
            let envelope = Envelope(context: context, ephemeralKey: ephemeralPublicKey, recipients: entries,
                                    payloadNonce: material.payloadNonce, payloadCiphertext: Array(box.ciphertext),
                                    payloadTag: Array(box.tag))
            return SealedEnvelope(envelope: envelope, commitmentSalt: material.dataKey.commitmentSalt())
        } catch {
            throw .sealingFailed
        }
    }

    private func checkShape(payloadSize: Int, recipients: [PublicKey]) throws(EnvelopeError) {
        guard !recipients.isEmpty else { throw .noRecipients }
        guard recipients.count <= limits.maxRecipients else {
            throw .tooManyRecipients(count: recipients.count, limit: limits.maxRecipients)
        }
        guard payloadSize <= limits.maxPayloadBytes else {
            throw .payloadTooLarge(size: payloadSize, limit: limits.maxPayloadBytes)
        }
        var seen = Set<Address>()
        for recipient in recipients {
            let address = Address(publicKey: recipient)
            guard seen.insert(address).inserted else { throw .duplicateRecipient(address) }
        }
    }
}

/// The secrets of one envelope, normally fresh from the CSPRNG.
package struct EnvelopeSealingMaterial: Sendable {
    let dataKey: DataKey
    let ephemeralKey: PrivateKey
    let payloadNonce: [UInt8]

    /// `nil` unless the data key has 32 bytes and the nonce 12.
    package init?(dataKey: [UInt8], ephemeralKey: PrivateKey, payloadNonce: [UInt8]) {
        guard let key = DataKey(bytes: dataKey), payloadNonce.count == Envelope.payloadNonceSize else { return nil }
        self.init(dataKey: key, ephemeralKey: ephemeralKey, payloadNonce: payloadNonce)
    }

    init(dataKey: DataKey, ephemeralKey: PrivateKey, payloadNonce: [UInt8]) {
        self.dataKey = dataKey
        self.ephemeralKey = ephemeralKey
        self.payloadNonce = payloadNonce
    }
}

/// A new envelope and the commitment salt its sender keeps to check the node's output commitment.
public struct SealedEnvelope: Sendable {
    public let envelope: Envelope
    /// The salt every recipient derives; the requester uses it to check `keccak256(salt ‖ output)` on chain.
    public let commitmentSalt: CommitmentSalt
}
