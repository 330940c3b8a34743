import Ethereum
import Secp256k1

/// A multi-recipient encrypted request input (format version 2; `docs/envelope.md` has every byte).
///
/// A random data key `D` encrypts the payload with AES-256-GCM; `D` is wrapped for each recipient
/// enclave under a one-time ephemeral key of its own, with a wrap the chain can recompute from that
/// ephemeral secret, and the header commits to `D` (`keyCommitment`), so a recipient that cannot open
/// its wrap knows it was given a broken envelope and the requester can prove on chain when a wrap was
/// good. The header (context, key commitment, recipient entries) is the payload's associated data.
/// Holding an `Envelope` reveals nothing: it is exactly what travels in calldata.
public struct Envelope: Hashable, Sendable {
    /// `"CLEN"`.
    public static let magic: [UInt8] = Array("CLEN".utf8)
    public static let version: UInt8 = 2
    /// The key header `KH`: magic, version, chain id, contract, requester, output key, key commitment, count.
    static let keyHeaderSize = 119
    static let payloadNonceSize = 12

    /// The chain, contract, requester and output key the envelope is bound to.
    public let context: EnvelopeContext
    /// `C = keccak256("cloister/v2/envelope/key" ‖ D)`.
    public let keyCommitment: Bytes32
    /// One entry per recipient, in the order the sender listed them.
    public let recipients: [WrappedDataKey]
    let payloadNonce: [UInt8]
    let payloadCiphertext: [UInt8]
    let payloadTag: [UInt8]

    init(
        context: EnvelopeContext, keyCommitment: Bytes32, recipients: [WrappedDataKey],
        payloadNonce: [UInt8], payloadCiphertext: [UInt8], payloadTag: [UInt8]
    ) {
        self.context = context
        self.keyCommitment = keyCommitment
        self.recipients = recipients
        self.payloadNonce = payloadNonce
        self.payloadCiphertext = payloadCiphertext
        self.payloadTag = payloadTag
    }

    /// The size in bytes of an envelope with this many recipients and payload bytes.
    public static func size(recipients: Int, payloadBytes: Int) -> Int {
        keyHeaderSize + recipients * WrappedDataKey.encodedSize + payloadNonceSize + 4 + payloadBytes + MessageKey.tagSize
    }

    /// The payload length in bytes (the plaintext has the same length).
    public var payloadSize: Int { payloadCiphertext.count }

    /// The enclave public keys that can open this envelope, in entry order.
    public var recipientKeys: [PublicKey] { recipients.map(\.recipientKey) }

    /// The enclave signer addresses that can open this envelope, in entry order.
    public var recipientAddresses: [Address] { recipients.map(\.recipient) }
}
