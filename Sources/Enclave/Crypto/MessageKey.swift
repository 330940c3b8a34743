import Crypto
import Secp256k1

/// An AES-256-GCM key and the one nonce it may be used with, derived for exactly one message.
///
/// Both the envelope's key wrap and the output encryption use it: the ECIES step is ECDH on secp256k1
/// (the x coordinate of the shared point), then HKDF-SHA256 to 44 bytes, split as key (32) ‖ nonce (12).
/// Because every derivation binds a fresh ephemeral key, a key never meets a second nonce.
struct MessageKey {
    private let key: SymmetricKey
    private let nonce: [UInt8]

    static let tagSize = 16

    /// Derives the key for one ECIES message between `secret` and `peer`.
    init(agreementOf secret: PrivateKey, with peer: PublicKey, salt: [UInt8], info: [UInt8]) throws(Secp256k1Error) {
        var shared = try secret.sharedSecret(with: peer)
        defer { shared.wipe() }
        self.init(inputKeyMaterial: SymmetricKey(data: shared), salt: salt, info: info)
    }

    /// Derives the key from secret input key material with HKDF-SHA256.
    init(inputKeyMaterial: SymmetricKey, salt: [UInt8], info: [UInt8]) {
        let okm = HKDF<SHA256>.deriveKey(inputKeyMaterial: inputKeyMaterial, salt: salt, info: info, outputByteCount: 44)
        (key, nonce) = okm.withUnsafeBytes { raw in
            (SymmetricKey(data: raw.prefix(32)), Array(raw.suffix(12)))
        }
    }

    /// Encrypts `plaintext`, authenticating `aad` too; returns the ciphertext (same length) and the tag.
    func seal(_ plaintext: [UInt8], authenticating aad: [UInt8]) throws -> (ciphertext: [UInt8], tag: [UInt8]) {
        let box = try AES.GCM.seal(plaintext, using: key, nonce: AES.GCM.Nonce(data: nonce), authenticating: aad)
        return (Array(box.ciphertext), Array(box.tag))
    }

    /// Decrypts and authenticates; throws when the key, nonce, ciphertext, tag or `aad` differ from sealing.
    func open(ciphertext: [UInt8], tag: [UInt8], authenticating aad: [UInt8]) throws -> [UInt8] {
        let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: nonce), ciphertext: ciphertext, tag: tag)
        return Array(try AES.GCM.open(box, using: key, authenticating: aad))
    }
}
