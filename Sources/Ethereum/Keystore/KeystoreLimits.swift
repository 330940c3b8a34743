/// Caps on key-derivation cost, checked before any memory is allocated, so a hostile file cannot make
/// decryption exhaust memory or run for hours.
public struct KeystoreLimits: Hashable, Sendable {
    /// The most memory scrypt may use: 128 · r · (n + p + 2) bytes.
    public var maximumScryptMemory: Int
    /// The most scrypt work, n · r · p.
    public var maximumScryptWork: Int
    /// The most pbkdf2 iterations.
    public var maximumPBKDF2Iterations: Int

    public init(maximumScryptMemory: Int, maximumScryptWork: Int, maximumPBKDF2Iterations: Int) {
        self.maximumScryptMemory = maximumScryptMemory
        self.maximumScryptWork = maximumScryptWork
        self.maximumPBKDF2Iterations = maximumPBKDF2Iterations
    }

    /// 1 GiB of scrypt memory, 8× geth's standard scrypt work (n = 2¹⁸, r = 8, p = 1) and 10 million
    /// pbkdf2 iterations (geth writes 262,144): every file geth, foundry or eth-account writes fits.
    public static let standard = KeystoreLimits(
        maximumScryptMemory: 1 << 30, maximumScryptWork: 1 << 24, maximumPBKDF2Iterations: 10_000_000)
}
