#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Array where Element == UInt8 {
    /// Overwrites the bytes with zeros in a way the optimiser may not remove. Used on every temporary
    /// copy of a secret (ECDH output, key bytes on their way to the sealed file).
    mutating func wipe() {
        withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            #if canImport(Glibc)
            explicit_bzero(base, raw.count)
            #else
            memset_s(base, raw.count, 0, raw.count)
            #endif
        }
    }
}
