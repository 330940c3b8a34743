#if canImport(Glibc)
import Glibc
#endif

/// The operating system's CSPRNG, and wiping of secret buffers.
enum SystemRandom {
    /// Fills `buffer` with random bytes. On Linux the standard library's `SystemRandomNumberGenerator`
    /// reads the kernel's `getrandom(2)`, a CSPRNG.
    static func fill(_ buffer: inout [UInt8]) {
        var generator = SystemRandomNumberGenerator()
        for index in buffer.indices { buffer[index] = generator.next() }
    }

    /// Overwrites `buffer` with zeros in a way the optimiser may not remove.
    static func wipe(_ buffer: inout [UInt8]) {
        buffer.withUnsafeMutableBytes { raw in
            if let base = raw.baseAddress { explicit_bzero(base, raw.count) }
        }
    }
}
