import Ethereum
import Secp256k1

/// One recipient's entry: its enclave public key, the ephemeral key of its wrap and the wrapped data key.
public struct WrappedDataKey: Hashable, Sendable {
    /// Encoded size: recipient key (64) ‖ ephemeral key (64) ‖ wrapped key (32); keys are `x ‖ y`.
    public static let encodedSize = 160

    /// The recipient enclave's public key `P`.
    public let recipientKey: PublicKey
    /// The one-time public key `E` of this recipient's wrap; its secret `e` stays with the requester,
    /// who may reveal it on chain to prove the wrap was good.
    public let ephemeralKey: PublicKey
    /// `W = D XOR KEK` (32 bytes).
    let wrappedKey: [UInt8]

    init(recipientKey: PublicKey, ephemeralKey: PublicKey, wrappedKey: [UInt8]) {
        self.recipientKey = recipientKey
        self.ephemeralKey = ephemeralKey
        self.wrappedKey = wrappedKey
    }

    /// The recipient's enclave signer address.
    public var recipient: Address { Address(publicKey: recipientKey) }

    var encoded: [UInt8] {
        KeyWrap.point(recipientKey) + KeyWrap.point(ephemeralKey) + wrappedKey
    }
}

/// The version 2 key wrap, built so that the chain can recompute it from a revealed ephemeral secret:
/// `KEK = keccak256("cloister/v2/envelope/wrap" ‖ keccak256(KH) ‖ address(S) ‖ E ‖ P)` with
/// `S = e·P = d·E`, and `W = D XOR KEK`.
///
/// `address(S)` (the Ethereum address of the shared point) rather than `S` because a contract can get
/// `address(e·P)` with one `ecrecover` but not the point; it still carries 160 bits that nobody
/// without `e` or `d` can compute (computational Diffie-Hellman).
enum KeyWrap {
    /// `x ‖ y` of a point: the 64-byte form used in the entries.
    static func point(_ key: PublicKey) -> [UInt8] {
        Array(key.uncompressed.dropFirst())
    }

    /// A point from its 64-byte `x ‖ y` form, checked to be on the curve.
    static func point(_ bytes: [UInt8]) -> PublicKey? {
        guard bytes.count == 64 else { return nil }
        return try? PublicKey(bytes: [0x04] + bytes)
    }

    /// The key-encryption key of one entry, from the shared point `S` (`x ‖ y`, secret).
    static func kek(keyHeader: [UInt8], sharedPoint: [UInt8], ephemeralKey: PublicKey, recipientKey: PublicKey) -> [UInt8] {
        var sharedHash = Keccak256.hash(sharedPoint).bytes
        defer { sharedHash.wipe() }
        var hasher = Keccak256()
        hasher.update(DomainLabel.envelopeWrap)
        hasher.update(Keccak256.hash(keyHeader).bytes)
        hasher.update(sharedHash[12...])
        hasher.update(point(ephemeralKey))
        hasher.update(point(recipientKey))
        return hasher.finalize().bytes
    }

    /// `a XOR b` for two 32-byte strings.
    static func xor(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        zip(a, b).map { $0 ^ $1 }
    }
}
