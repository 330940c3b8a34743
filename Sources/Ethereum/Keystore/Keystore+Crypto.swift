import Secp256k1

extension Keystore {
    /// Derives the key from `password` (UTF-8 bytes), checks the MAC, and decrypts straight into a
    /// ``PrivateKey``; the derived key and plaintext are wiped before returning.
    ///
    /// Files whose KDF would exceed `limits` are refused before any work is done.
    public func decrypt(password: [UInt8], limits: KeystoreLimits = .standard) throws(KeystoreError) -> PrivateKey {
        var derivedKey = try kdf.deriveKey(password: password, limits: limits)
        defer { OpenSSLCrypto.wipe(&derivedKey) }
        let expected = Keystore.mac(derivedKey: derivedKey, ciphertext: ciphertext).bytes
        guard OpenSSLCrypto.constantTimeEqual(expected, mac.bytes) else { throw .wrongPassword }
        var encryptionKey = Array(derivedKey[0..<16])
        defer { OpenSSLCrypto.wipe(&encryptionKey) }
        var plaintext = try OpenSSLCrypto.aes128CTR(key: encryptionKey, iv: iv, input: ciphertext)
        defer { OpenSSLCrypto.wipe(&plaintext) }
        let key: PrivateKey
        do { key = try PrivateKey(bytes: plaintext) } catch { throw .invalidPrivateKey }
        if let address, address != Address(publicKey: key.publicKey) { throw .addressMismatch }
        return key
    }

    /// Encrypts `key` under `password` (UTF-8 bytes) with `kdf` (for example
    /// ``KeystoreKDF/standardScrypt()``), a fresh IV and a fresh random UUID.
    public static func encrypt(
        _ key: PrivateKey, password: [UInt8], kdf: KeystoreKDF,
        limits: KeystoreLimits = .standard
    ) throws(KeystoreError) -> Keystore {
        var derivedKey = try kdf.deriveKey(password: password, limits: limits)
        defer { OpenSSLCrypto.wipe(&derivedKey) }
        var encryptionKey = Array(derivedKey[0..<16])
        defer { OpenSSLCrypto.wipe(&encryptionKey) }
        let iv = try OpenSSLCrypto.randomBytes(16)
        var plaintext = key.withUnsafeBytes { Array($0) }
        defer { OpenSSLCrypto.wipe(&plaintext) }
        let ciphertext = try OpenSSLCrypto.aes128CTR(key: encryptionKey, iv: iv, input: plaintext)
        return try Keystore(
            id: try randomUUID(), address: Address(publicKey: key.publicKey), kdf: kdf, iv: iv,
            ciphertext: ciphertext, mac: mac(derivedKey: derivedKey, ciphertext: ciphertext))
    }

    /// A random (version 4) UUID in its canonical lower-case text form.
    private static func randomUUID() throws(KeystoreError) -> String {
        var bytes = try OpenSSLCrypto.randomBytes(16)
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        let hex = Hex.encode(bytes, prefix: false)
        let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(hex.dropFirst(range.lowerBound).prefix(range.count))
        }
        return groups.joined(separator: "-")
    }
}
