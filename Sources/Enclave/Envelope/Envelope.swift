import Ethereum
import Secp256k1

/// A multi-recipient encrypted request input (format version 1; `docs/envelope.md` has every byte).
///
/// A random data key encrypts the payload with AES-256-GCM; the data key is wrapped for each
/// recipient enclave with ECIES over secp256k1 under one ephemeral key. The header (context, keys and
/// recipient list) is the payload's associated data, so changing any header byte is detected.
/// Holding an `Envelope` reveals nothing: it is exactly what travels in calldata.
public struct Envelope: Hashable, Sendable {
    /// `"CLEN"`.
    public static let magic: [UInt8] = Array("CLEN".utf8)
    public static let version: UInt8 = 1
    /// Bytes before the recipient count: magic, version, chain id, contract, requester, output key, ephemeral key.
    static let keyScheduleHeaderSize = 119
    static let payloadNonceSize = 12

    /// The chain, contract, requester and output key the envelope is bound to.
    public let context: EnvelopeContext
    /// The sender's one-time public key; its secret was discarded after wrapping.
    public let ephemeralKey: PublicKey
    /// One entry per recipient, in the order the sender listed them.
    public let recipients: [WrappedDataKey]
    let payloadNonce: [UInt8]
    let payloadCiphertext: [UInt8]
    let payloadTag: [UInt8]

    init(context: EnvelopeContext, ephemeralKey: PublicKey, recipients: [WrappedDataKey],
         payloadNonce: [UInt8], payloadCiphertext: [UInt8], payloadTag: [UInt8]) {
        self.context = context
        self.ephemeralKey = ephemeralKey
        self.recipients = recipients
        self.payloadNonce = payloadNonce
        self.payloadCiphertext = payloadCiphertext
        self.payloadTag = payloadTag
    }

    /// The size in bytes of an envelope with this many recipients and payload bytes.
    public static func size(recipients: Int, payloadBytes: Int) -> Int {
        keyScheduleHeaderSize + 1 + recipients * WrappedDataKey.encodedSize + payloadNonceSize + 4
            + payloadBytes + MessageKey.tagSize
    }

    /// The payload length in bytes (the plaintext has the same length).
    public var payloadSize: Int { payloadCiphertext.count }

    /// The enclave signer addresses that can open this envelope.
    public var recipientAddresses: [Address] { recipients.map(\.recipient) }
}
