import Secp256k1

/// An encrypted private key in the Web3 Secret Storage format (version 3), as geth, foundry and
/// eth-account write it: aes-128-ctr under a scrypt- or pbkdf2-derived key, authenticated by
/// `mac = keccak256(derivedKey[16..<32] ‖ ciphertext)`.
public struct Keystore: Hashable, Sendable {
    /// The file's UUID, when it has one.
    public let id: String?
    /// The address the file says it holds; checked against the key on decryption.
    public let address: Address?
    public let kdf: KeystoreKDF
    /// aes-128-ctr's 16-byte initial counter.
    public let iv: [UInt8]
    /// The encrypted 32-byte private key.
    public let ciphertext: [UInt8]
    public let mac: Bytes32

    /// A keystore from its parts; `iv` must be 16 bytes and `ciphertext` 32.
    public init(id: String?, address: Address?, kdf: KeystoreKDF, iv: [UInt8], ciphertext: [UInt8], mac: Bytes32) throws(KeystoreError) {
        try kdf.validate()
        guard iv.count == 16 else { throw .invalidField("iv") }
        guard ciphertext.count == 32 else { throw .invalidField("ciphertext") }
        self.id = id
        self.address = address
        self.kdf = kdf
        self.iv = iv
        self.ciphertext = ciphertext
        self.mac = mac
    }

    /// The MAC of `ciphertext` under `derivedKey`.
    static func mac(derivedKey: [UInt8], ciphertext: [UInt8]) -> Bytes32 {
        var hasher = Keccak256()
        hasher.update(derivedKey[16..<32])
        hasher.update(ciphertext)
        return hasher.finalize()
    }
}
