/// scrypt (RFC 7914) with the ROMix stage in Swift, for the parameters OpenSSL refuses: OpenSSL enforces
/// RFC 7914's N < 2^(128·r/8), which the published Web3 Secret Storage vector (n = 2¹⁸, r = 1, p = 8)
/// and files made by Go's and pycryptodome's scrypt may break. The PBKDF2 stages stay in OpenSSL.
enum ScryptROMix {
    /// Whether OpenSSL's `EVP_PBE_scrypt` accepts these parameters.
    static func openSSLAccepts(n: Int, r: Int) -> Bool {
        16 * r >= 64 || UInt64(n) < UInt64(1) << UInt64(16 * r)
    }

    static func derive(password: [UInt8], salt: [UInt8], n: Int, r: Int, p: Int, length: Int) throws(KeystoreError) -> [UInt8] {
        let blockWords = 32 * r
        var blocks = try OpenSSLCrypto.pbkdf2SHA256(password: password, salt: salt, iterations: 1, length: p * 128 * r)
        defer { OpenSSLCrypto.wipe(&blocks) }
        let table = UnsafeMutablePointer<UInt32>.allocate(capacity: n * blockWords)
        let scratch = UnsafeMutablePointer<UInt32>.allocate(capacity: 2 * blockWords + 16)
        defer {
            table.update(repeating: 0, count: n * blockWords)
            scratch.update(repeating: 0, count: 2 * blockWords + 16)
            table.deallocate()
            scratch.deallocate()
        }
        for index in 0..<p {
            let offset = index * 128 * r
            for word in 0..<blockWords {
                let base = offset + 4 * word
                scratch[word] =
                    UInt32(blocks[base]) | UInt32(blocks[base + 1]) << 8
                    | UInt32(blocks[base + 2]) << 16 | UInt32(blocks[base + 3]) << 24
            }
            roMix(scratch, table: table, n: n, r: r)
            for word in 0..<blockWords {
                for byte in 0..<4 { blocks[offset + 4 * word + byte] = UInt8(truncatingIfNeeded: scratch[word] >> UInt32(8 * byte)) }
            }
        }
        return try OpenSSLCrypto.pbkdf2SHA256(password: password, salt: blocks, iterations: 1, length: length)
    }

    /// RFC 7914 §5 on the block at `scratch[0..<32r]`; the rest of `scratch` is working space.
    private static func roMix(_ scratch: UnsafeMutablePointer<UInt32>, table: UnsafeMutablePointer<UInt32>, n: Int, r: Int) {
        let words = 32 * r
        var x = scratch
        var y = scratch + words
        let salsaState = scratch + 2 * words
        for step in 0..<n {
            (table + step * words).update(from: x, count: words)
            blockMix(x, into: y, r: r, salsa: salsaState)
            swap(&x, &y)
        }
        for _ in 0..<n {
            let j = Int(x[words - 16]) & (n - 1)
            let row = table + j * words
            var word = 0
            while word < words {
                x[word] ^= row[word]
                word += 1
            }
            blockMix(x, into: y, r: r, salsa: salsaState)
            swap(&x, &y)
        }
        if x != scratch { scratch.update(from: x, count: words) }
    }

    /// RFC 7914 §4: Salsa20/8 over the 2r 64-byte blocks, even outputs first, then odd.
    private static func blockMix(
        _ input: UnsafeMutablePointer<UInt32>, into output: UnsafeMutablePointer<UInt32>, r: Int,
        salsa: UnsafeMutablePointer<UInt32>
    ) {
        salsa.update(from: input + (2 * r - 1) * 16, count: 16)
        for block in 0..<(2 * r) {
            salsa208(salsa, xoring: input + block * 16)
            let destination = (block % 2 == 0 ? block / 2 : r + block / 2) * 16
            (output + destination).update(from: salsa, count: 16)
        }
    }

    /// The Salsa20/8 core of `b xor m`, written to `b`. Written out with masking shifts so that even unoptimised
    /// (debug) builds run it at a usable speed.
    @inline(__always)
    private static func salsa208(_ b: UnsafeMutablePointer<UInt32>, xoring m: UnsafeMutablePointer<UInt32>) {
        let y0 = b[0] ^ m[0], y1 = b[1] ^ m[1], y2 = b[2] ^ m[2], y3 = b[3] ^ m[3]
        let y4 = b[4] ^ m[4], y5 = b[5] ^ m[5], y6 = b[6] ^ m[6], y7 = b[7] ^ m[7]
        let y8 = b[8] ^ m[8], y9 = b[9] ^ m[9], y10 = b[10] ^ m[10], y11 = b[11] ^ m[11]
        let y12 = b[12] ^ m[12], y13 = b[13] ^ m[13], y14 = b[14] ^ m[14], y15 = b[15] ^ m[15]
        var x0 = y0, x1 = y1, x2 = y2, x3 = y3, x4 = y4, x5 = y5, x6 = y6, x7 = y7
        var x8 = y8, x9 = y9, x10 = y10, x11 = y11, x12 = y12, x13 = y13, x14 = y14, x15 = y15
        var t: UInt32 = 0
        for _ in 0..<4 {
            t = x0 &+ x12; x4 ^= t &<< 7 | t &>> 25
            t = x4 &+ x0; x8 ^= t &<< 9 | t &>> 23
            t = x8 &+ x4; x12 ^= t &<< 13 | t &>> 19
            t = x12 &+ x8; x0 ^= t &<< 18 | t &>> 14
            t = x5 &+ x1; x9 ^= t &<< 7 | t &>> 25
            t = x9 &+ x5; x13 ^= t &<< 9 | t &>> 23
            t = x13 &+ x9; x1 ^= t &<< 13 | t &>> 19
            t = x1 &+ x13; x5 ^= t &<< 18 | t &>> 14
            t = x10 &+ x6; x14 ^= t &<< 7 | t &>> 25
            t = x14 &+ x10; x2 ^= t &<< 9 | t &>> 23
            t = x2 &+ x14; x6 ^= t &<< 13 | t &>> 19
            t = x6 &+ x2; x10 ^= t &<< 18 | t &>> 14
            t = x15 &+ x11; x3 ^= t &<< 7 | t &>> 25
            t = x3 &+ x15; x7 ^= t &<< 9 | t &>> 23
            t = x7 &+ x3; x11 ^= t &<< 13 | t &>> 19
            t = x11 &+ x7; x15 ^= t &<< 18 | t &>> 14
            t = x0 &+ x3; x1 ^= t &<< 7 | t &>> 25
            t = x1 &+ x0; x2 ^= t &<< 9 | t &>> 23
            t = x2 &+ x1; x3 ^= t &<< 13 | t &>> 19
            t = x3 &+ x2; x0 ^= t &<< 18 | t &>> 14
            t = x5 &+ x4; x6 ^= t &<< 7 | t &>> 25
            t = x6 &+ x5; x7 ^= t &<< 9 | t &>> 23
            t = x7 &+ x6; x4 ^= t &<< 13 | t &>> 19
            t = x4 &+ x7; x5 ^= t &<< 18 | t &>> 14
            t = x10 &+ x9; x11 ^= t &<< 7 | t &>> 25
            t = x11 &+ x10; x8 ^= t &<< 9 | t &>> 23
            t = x8 &+ x11; x9 ^= t &<< 13 | t &>> 19
            t = x9 &+ x8; x10 ^= t &<< 18 | t &>> 14
            t = x15 &+ x14; x12 ^= t &<< 7 | t &>> 25
            t = x12 &+ x15; x13 ^= t &<< 9 | t &>> 23
            t = x13 &+ x12; x14 ^= t &<< 13 | t &>> 19
            t = x14 &+ x13; x15 ^= t &<< 18 | t &>> 14
        }
        b[0] = y0 &+ x0; b[1] = y1 &+ x1; b[2] = y2 &+ x2; b[3] = y3 &+ x3
        b[4] = y4 &+ x4; b[5] = y5 &+ x5; b[6] = y6 &+ x6; b[7] = y7 &+ x7
        b[8] = y8 &+ x8; b[9] = y9 &+ x9; b[10] = y10 &+ x10; b[11] = y11 &+ x11
        b[12] = y12 &+ x12; b[13] = y13 &+ x13; b[14] = y14 &+ x14; b[15] = y15 &+ x15
    }
}
