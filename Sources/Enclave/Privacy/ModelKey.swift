#if canImport(Glibc)
import Glibc
#endif

/// A model's 32-byte secret key, which only attested enclaves hold: it encrypts the model's sealed weights
/// (`SealedModel`) and keys the noise of its private releases (`PrivateRelease`), each under its own
/// derivation label.
///
/// Held like the enclave's own key: the bytes live in memory this object owns and wipes when it is
/// released, `description` is redacted, and the only way to read them is ``withUnsafeBytes(_:)``.
public final class ModelKey: @unchecked Sendable {  // written once, in init, then only read
    private let secret: UnsafeMutableRawBufferPointer

    public static let byteCount = 32

    /// The key with these 32 bytes. The caller wipes its own copy.
    public init(bytes: some Collection<UInt8>) throws(ModelKeyError) {
        guard bytes.count == Self.byteCount else { throw .wrongLength(bytes.count) }
        secret = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.byteCount, alignment: 16)
        secret.copyBytes(from: bytes)
    }

    /// A new key from the system's CSPRNG (`getrandom(2)` on Linux).
    public static func generate() -> ModelKey {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<byteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        defer { bytes.wipe() }
        return try! ModelKey(bytes: bytes)
    }

    deinit {
        explicit_bzero(secret.baseAddress!, secret.count)
        secret.deallocate()
    }

    /// Lends the 32 secret bytes to `body`, which must not copy them anywhere that outlives it.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(secret))
    }
}

extension ModelKey: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { "ModelKey(redacted)" }
    public var debugDescription: String { description }
}

/// Why bytes are not a model key. Never carries the bytes.
public enum ModelKeyError: Error, Equatable, Sendable, CustomStringConvertible {
    case wrongLength(Int)

    public var description: String {
        switch self {
        case .wrongLength(let count): "a model key is \(ModelKey.byteCount) bytes, not \(count)"
        }
    }
}
