/// The password-based key derivation of a keystore file, with its salt. The derived key is always
/// 32 bytes: the first 16 encrypt, the last 16 authenticate.
public enum KeystoreKDF: Hashable, Sendable {
    /// scrypt with cost n (a power of two), block size r and parallelism p.
    case scrypt(n: Int, r: Int, p: Int, salt: [UInt8])
    /// PBKDF2 with HMAC-SHA-256.
    case pbkdf2(iterations: Int, salt: [UInt8])

    /// Bytes of derived key every keystore uses.
    static let derivedKeyLength = 32
    /// Longest salt accepted; real files use 16 or 32 bytes.
    static let maximumSaltLength = 1024

    /// geth's default (and foundry's): scrypt n = 2¹⁸, r = 8, p = 1 with a fresh 32-byte salt.
    /// 256 MiB and about a second per derivation.
    public static func standardScrypt() throws(KeystoreError) -> KeystoreKDF {
        .scrypt(n: 1 << 18, r: 8, p: 1, salt: try OpenSSLCrypto.randomBytes(32))
    }

    /// geth's `--lightkdf`: scrypt n = 4096, r = 8, p = 6 with a fresh 32-byte salt. For test wallets.
    public static func lightScrypt() throws(KeystoreError) -> KeystoreKDF {
        .scrypt(n: 4096, r: 8, p: 6, salt: try OpenSSLCrypto.randomBytes(32))
    }

    /// Rejects parameters no valid file has.
    func validate() throws(KeystoreError) {
        switch self {
        case .scrypt(let n, let r, let p, let salt):
            guard n > 1, n.nonzeroBitCount == 1 else { throw .invalidKDFParameter("n") }
            guard r > 0 else { throw .invalidKDFParameter("r") }
            guard p > 0 else { throw .invalidKDFParameter("p") }
            guard salt.count <= Self.maximumSaltLength else { throw .invalidKDFParameter("salt") }
        case .pbkdf2(let iterations, let salt):
            guard iterations > 0 else { throw .invalidKDFParameter("c") }
            guard salt.count <= Self.maximumSaltLength else { throw .invalidKDFParameter("salt") }
        }
    }

    /// Whether deriving stays within `limits`, computed without overflow.
    func fits(_ limits: KeystoreLimits) -> Bool {
        switch self {
        case .scrypt(let n, let r, let p, _):
            // Capping each factor first keeps the sums below from overflowing.
            guard n <= 1 << 40, r <= 1 << 20, p <= 1 << 20 else { return false }
            let (memory, memoryOverflow) = (128 * r).multipliedReportingOverflow(by: n + p + 2)
            let (work, workOverflow) = (n * r).multipliedReportingOverflow(by: p)
            return !memoryOverflow && !workOverflow
                && memory <= limits.maximumScryptMemory && work <= limits.maximumScryptWork
        case .pbkdf2(let iterations, _):
            return iterations <= limits.maximumPBKDF2Iterations && iterations <= Int(Int32.max)
        }
    }

    /// The 32-byte key derived from `password`. The caller wipes it.
    func deriveKey(password: [UInt8], limits: KeystoreLimits) throws(KeystoreError) -> [UInt8] {
        try validate()
        guard fits(limits) else { throw .kdfCostExceedsLimits }
        switch self {
        case .scrypt(let n, let r, let p, let salt):
            return try OpenSSLCrypto.scrypt(
                password: password, salt: salt, n: n, r: r, p: p,
                maximumMemory: limits.maximumScryptMemory, length: Self.derivedKeyLength)
        case .pbkdf2(let iterations, let salt):
            return try OpenSSLCrypto.pbkdf2SHA256(
                password: password, salt: salt, iterations: iterations,
                length: Self.derivedKeyLength)
        }
    }
}
