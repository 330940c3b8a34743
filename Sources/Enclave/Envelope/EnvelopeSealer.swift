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
    /// data key, one fresh ephemeral key per recipient and a nonce, all from the system CSPRNG.
    public func seal(_ payload: [UInt8], for recipients: [PublicKey]) throws(EnvelopeError) -> SealedEnvelope {
        let material = EnvelopeSealingMaterial(
            dataKey: DataKey(), ephemeralKeys: recipients.map { _ in PrivateKey() },
            payloadNonce: Array(AES.GCM.Nonce()))
        return try seal(payload, for: recipients, material: material)
    }

    /// Seals with caller-chosen secrets. Only for reproducible test vectors: reusing material across
    /// envelopes breaks their confidentiality.
    package func seal(
        _ payload: [UInt8], for recipients: [PublicKey],
        material: EnvelopeSealingMaterial
    ) throws(EnvelopeError) -> SealedEnvelope {
        try checkShape(payloadSize: payload.count, recipients: recipients)
        guard material.ephemeralKeys.count == recipients.count else { throw .sealingFailed }
        let keyCommitment = material.dataKey.keyCommitment()
        let keyHeader = Envelope.keyHeader(context: context, keyCommitment: keyCommitment, count: recipients.count)
        var dataKeyBytes = material.dataKey.copyBytes()
        defer { dataKeyBytes.wipe() }
        var entries: [WrappedDataKey] = []
        entries.reserveCapacity(recipients.count)
        do {
            for (index, (recipient, ephemeral)) in zip(recipients, material.ephemeralKeys).enumerated() {
                var shared = try ephemeral.sharedPoint(with: recipient)
                var kek = KeyWrap.kek(keyHeader: keyHeader, sharedPoint: shared, ephemeralKey: ephemeral.publicKey, recipientKey: recipient)
                var wrapped = KeyWrap.xor(dataKeyBytes, kek)
                if index == material.brokenWrap { wrapped[DataKey.size - 1] ^= 0x01 }
                entries.append(WrappedDataKey(recipientKey: recipient, ephemeralKey: ephemeral.publicKey, wrappedKey: wrapped))
                shared.wipe()
                kek.wipe()
                wrapped.wipe()
            }
            let header = Envelope.authenticatedHeader(keyHeader: keyHeader, recipients: entries)
            let box = try AES.GCM.seal(
                payload, using: material.dataKey.payloadKey(),
                nonce: AES.GCM.Nonce(data: material.payloadNonce), authenticating: header)
            let envelope = Envelope(
                context: context, keyCommitment: keyCommitment, recipients: entries,
                payloadNonce: material.payloadNonce, payloadCiphertext: Array(box.ciphertext),
                payloadTag: Array(box.tag))
            let secrets = zip(recipients, material.ephemeralKeys).enumerated().map { index, pair in
                WrapSecret(index: index, recipientKey: pair.0, ephemeralSecret: pair.1)
            }
            return SealedEnvelope(envelope: envelope, commitmentSalt: material.dataKey.commitmentSalt(), wrapSecrets: secrets)
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
        var seen = Set<PublicKey>()
        for recipient in recipients where !seen.insert(recipient).inserted {
            throw .duplicateRecipient(Address(publicKey: recipient))
        }
    }
}

/// The secrets of one envelope, normally fresh from the CSPRNG.
package struct EnvelopeSealingMaterial: Sendable {
    let dataKey: DataKey
    /// One per recipient, in recipient order.
    let ephemeralKeys: [PrivateKey]
    let payloadNonce: [UInt8]
    /// Test vectors only: the recipient whose wrapped key gets its last bit flipped before the payload
    /// is sealed, the griefing envelope every other recipient opens and that one cannot.
    package var brokenWrap: Int?

    /// `nil` unless the data key has 32 bytes and the nonce 12.
    package init?(dataKey: [UInt8], ephemeralKeys: [PrivateKey], payloadNonce: [UInt8], brokenWrap: Int? = nil) {
        guard let key = DataKey(bytes: dataKey), payloadNonce.count == Envelope.payloadNonceSize else { return nil }
        self.init(dataKey: key, ephemeralKeys: ephemeralKeys, payloadNonce: payloadNonce)
        self.brokenWrap = brokenWrap
    }

    init(dataKey: DataKey, ephemeralKeys: [PrivateKey], payloadNonce: [UInt8]) {
        self.dataKey = dataKey
        self.ephemeralKeys = ephemeralKeys
        self.payloadNonce = payloadNonce
    }
}

/// A new envelope, the commitment salt its sender keeps to check the node's output commitment, and the
/// per-recipient ephemeral secrets that prove on chain that a wrap was good.
public struct SealedEnvelope: Sendable {
    public let envelope: Envelope
    /// The salt every recipient derives; the requester uses it to check `keccak256(salt ‖ output)` on chain.
    public let commitmentSalt: CommitmentSalt
    /// One per recipient, in entry order. Discard them unless you may need `proveWrap`.
    public let wrapSecrets: [WrapSecret]
}

/// The ephemeral secret `e_i` of one recipient's wrap. Revealing it lets the chain recompute that wrap
/// (`Arbiter.proveWrap`) and slash a node that claimed it could not open a good one; but whoever holds
/// it can also unwrap the data key and decrypt the input. Redacted from `description` and reflection;
/// the key is wiped when released.
public struct WrapSecret: Sendable {
    /// The entry's position in the envelope (`proveWrap`'s `index`).
    public let index: Int
    /// The recipient enclave's public key `P_i`.
    public let recipientKey: PublicKey
    private let ephemeralSecret: PrivateKey

    init(index: Int, recipientKey: PublicKey, ephemeralSecret: PrivateKey) {
        self.index = index
        self.recipientKey = recipientKey
        self.ephemeralSecret = ephemeralSecret
    }

    /// `E_i`.
    public var ephemeralKey: PublicKey { ephemeralSecret.publicKey }

    /// The 32 big-endian bytes of `e_i` (`proveWrap`'s `ephemeralSecret`), for the requester's proof
    /// file and the proof transaction only.
    public func revealedBytes() -> [UInt8] {
        ephemeralSecret.withUnsafeBytes { Array($0) }
    }
}

extension WrapSecret: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "WrapSecret(#\(index), redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: []) }
}
