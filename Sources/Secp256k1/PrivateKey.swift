internal import CSecp256k1
#if canImport(Glibc)
import Glibc
#endif

/// A secp256k1 secret scalar.
///
/// The 32 bytes live in memory this object owns and wipes when it is released. They are never
/// printed: `description` is redacted, and the only way to read them is ``withUnsafeBytes(_:)``.
public final class PrivateKey: @unchecked Sendable {  // the secret is written once, in init, then only read
    private let secret: UnsafeMutableRawBufferPointer

    /// A new key from the operating system's CSPRNG.
    public convenience init() {
        var candidate = [UInt8](repeating: 0, count: 32)
        defer { SystemRandom.wipe(&candidate) }
        repeat {
            SystemRandom.fill(&candidate)
        } while secp256k1_ec_seckey_verify(Context.shared.pointer, candidate) != 1
        // Cannot fail: the candidate was just verified.
        try! self.init(bytes: candidate)
    }

    /// The key with these 32 big-endian bytes; they must be a scalar in [1, n-1].
    public init(bytes: some Collection<UInt8>) throws(Secp256k1Error) {
        guard bytes.count == 32 else { throw .invalidPrivateKey }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 32, alignment: 16)
        buffer.copyBytes(from: bytes)
        let valid = secp256k1_ec_seckey_verify(Context.shared.pointer, buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)) == 1
        guard valid else {
            explicit_bzero(buffer.baseAddress!, 32)
            buffer.deallocate()
            throw .invalidPrivateKey
        }
        secret = buffer
    }

    deinit {
        explicit_bzero(secret.baseAddress!, secret.count)
        secret.deallocate()
    }

    /// Lends the 32 secret bytes to `body`, which must not copy them anywhere that outlives it.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(secret))
    }

    var scalar: UnsafePointer<UInt8> {
        UnsafePointer(secret.baseAddress!.assumingMemoryBound(to: UInt8.self))
    }

    /// The matching public key.
    public var publicKey: PublicKey {
        var point = secp256k1_pubkey()
        // Cannot fail: the scalar was verified when the key was made.
        _ = secp256k1_ec_pubkey_create(Context.shared.pointer, &point, scalar)
        return PublicKey(point: point)
    }
}

extension PrivateKey: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { "PrivateKey(redacted)" }
    public var debugDescription: String { description }
}
