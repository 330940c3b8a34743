internal import COpenSSL

/// The libcrypto primitives keystores need. Outputs that hold secrets are returned as arrays the
/// caller wipes with ``wipe(_:)``.
enum OpenSSLCrypto {
    static func scrypt(
        password: [UInt8], salt: [UInt8], n: Int, r: Int, p: Int,
        maximumMemory: Int, length: Int
    ) throws(KeystoreError) -> [UInt8] {
        guard ScryptROMix.openSSLAccepts(n: n, r: r) else {
            return try ScryptROMix.derive(password: password, salt: salt, n: n, r: r, p: p, length: length)
        }
        var output = [UInt8](repeating: 0, count: length)
        // OpenSSL refuses to allocate more than `maxmem`; its own estimate is 128·r·(n + p + 2) plus a
        // little bookkeeping, so allow a page on top of the caller's limit.
        let status = password.withUnsafeBufferPointer { passwordBuffer in
            passwordBuffer.withMemoryRebound(to: CChar.self) { passwordChars in
                EVP_PBE_scrypt(
                    passwordChars.baseAddress, passwordChars.count, salt, salt.count,
                    UInt64(n), UInt64(r), UInt64(p), UInt64(maximumMemory) + 4096, &output, length)
            }
        }
        guard status == 1 else {
            wipe(&output)
            throw .cryptoFailure
        }
        return output
    }

    static func pbkdf2SHA256(password: [UInt8], salt: [UInt8], iterations: Int, length: Int) throws(KeystoreError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: length)
        let status = password.withUnsafeBufferPointer { passwordBuffer in
            passwordBuffer.withMemoryRebound(to: CChar.self) { passwordChars in
                PKCS5_PBKDF2_HMAC(
                    passwordChars.baseAddress, Int32(passwordChars.count), salt, Int32(salt.count),
                    Int32(iterations), EVP_sha256(), Int32(length), &output)
            }
        }
        guard status == 1 else {
            wipe(&output)
            throw .cryptoFailure
        }
        return output
    }

    /// AES-128 in counter mode; encryption and decryption are the same operation. The caller wipes `key`.
    static func aes128CTR(key: [UInt8], iv: [UInt8], input: [UInt8]) throws(KeystoreError) -> [UInt8] {
        guard key.count == 16, iv.count == 16, let context = EVP_CIPHER_CTX_new() else { throw .cryptoFailure }
        defer { EVP_CIPHER_CTX_free(context) }
        var output = [UInt8](repeating: 0, count: input.count + 16)
        var written: Int32 = 0
        var finalWritten: Int32 = 0
        let ok =
            EVP_EncryptInit_ex(context, EVP_aes_128_ctr(), nil, key, iv) == 1
            && EVP_EncryptUpdate(context, &output, &written, input, Int32(input.count)) == 1
            && output.withUnsafeMutableBufferPointer { buffer in
                EVP_EncryptFinal_ex(context, buffer.baseAddress! + Int(written), &finalWritten) == 1
            }
        guard ok, Int(written + finalWritten) == input.count else {
            wipe(&output)
            throw .cryptoFailure
        }
        output.removeLast(output.count - input.count)
        return output
    }

    static func randomBytes(_ count: Int) throws(KeystoreError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        guard RAND_bytes(&bytes, Int32(count)) == 1 else { throw .randomnessUnavailable }
        return bytes
    }

    /// Compares in time that depends only on the length.
    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        lhs.count == rhs.count && CRYPTO_memcmp(lhs, rhs, lhs.count) == 0
    }

    /// Overwrites `buffer` with zeros in a way the optimiser keeps.
    static func wipe(_ buffer: inout [UInt8]) {
        buffer.withUnsafeMutableBytes { raw in
            if let base = raw.baseAddress { OPENSSL_cleanse(base, raw.count) }
        }
    }
}
