internal import CSecp256k1
#if canImport(Glibc)
import Glibc
#endif

/// The one libsecp256k1 context the module shares. Signing, verification, recovery and ECDH only read
/// it, which libsecp256k1 documents as safe from any number of threads.
final class Context: @unchecked Sendable {
    static let shared = Context()

    let pointer: OpaquePointer

    private init() {
        pointer = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE))
        // Blinding against timing side channels; failure leaves the context correct, just unblinded.
        var seed = [UInt8](repeating: 0, count: 32)
        SystemRandom.fill(&seed)
        _ = secp256k1_context_randomize(pointer, seed)
        SystemRandom.wipe(&seed)
    }

    deinit {
        secp256k1_context_destroy(pointer)
    }
}
