import Ethereum
import Secp256k1

/// An inference output encrypted to the requester's secp256k1 key (format version 1, `docs/envelope.md`).
///
/// ECIES: a fresh ephemeral key, ECDH x coordinate, HKDF-SHA256 salted with the header, AES-256-GCM
/// authenticating the header. The header names the request, so the output cannot be replayed elsewhere.
public struct EncryptedOutput: Hashable, Sendable {
    /// `"CLOU"`.
    public static let magic: [UInt8] = Array("CLOU".utf8)
    public static let version: UInt8 = 1
    /// magic, version, chain id, contract, request id, ephemeral key.
    static let headerSize = 98
    /// The default cap on the plaintext: the encrypted output (114 bytes more) then fits the
    /// contract's 4096-byte `MAX_OUTPUT`.
    public static let defaultMaxOutputBytes = 4096 - headerSize - MessageKey.tagSize

    /// The request this output answers.
    public let context: OutputContext
    public let ephemeralKey: PublicKey
    let ciphertext: [UInt8]
    let tag: [UInt8]

    init(context: OutputContext, ephemeralKey: PublicKey, ciphertext: [UInt8], tag: [UInt8]) {
        self.context = context
        self.ephemeralKey = ephemeralKey
        self.ciphertext = ciphertext
        self.tag = tag
    }

    /// The encoded output, as delivered on chain.
    public var bytes: [UInt8] { header + ciphertext + tag }

    /// Magic through ephemeral key: the HKDF salt and the GCM associated data.
    var header: [UInt8] {
        var output = Self.magic
        output.reserveCapacity(Self.headerSize)
        output.append(Self.version)
        output.appendBigEndian(context.chainID, width: 8)
        output += context.contract.bytes
        output += context.requestID.bytes
        output += ephemeralKey.compressed
        return output
    }
}
