#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of a model file for the engines to read in place: a read-only, private memory mapping of a
/// file on disk, or (for a sealed model opened inside the enclave) a heap copy of the decrypted
/// plaintext that only this object holds and wipes when it is released. Either way the bytes stay valid
/// for the object's lifetime and are never written, which is why it is safe to share across threads.
final class ModelBytes: @unchecked Sendable {
    private enum Storage {
        case mapped
        case owned
    }

    let bytes: UnsafeRawBufferPointer
    /// The file's path, or a label naming the decrypted model (never its contents).
    let path: String
    private let storage: Storage

    init(path: String) throws(InferenceError) {
        self.path = path
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .modelFileUnreadable(path: path) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_size > 0 else { throw .modelFileUnreadable(path: path) }
        let size = Int(status.st_size)
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), base != MAP_FAILED else {
            throw .modelFileUnreadable(path: path)
        }
        bytes = UnsafeRawBufferPointer(start: base, count: size)
        storage = .mapped
    }

    /// Takes over `plaintext`: its bytes are copied into memory this object owns (aligned for the
    /// tensors) and `plaintext` is wiped and emptied. The copy is wiped when the object is released.
    init(takingOver plaintext: inout [UInt8], label: String) throws(InferenceError) {
        guard !plaintext.isEmpty else { throw .modelFileUnreadable(path: label) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: plaintext.count, alignment: 64)
        plaintext.withUnsafeMutableBytes { source in
            buffer.copyMemory(from: UnsafeRawBufferPointer(source))
            explicit_bzero(source.baseAddress!, source.count)
        }
        plaintext = []
        bytes = UnsafeRawBufferPointer(buffer)
        path = label
        storage = .owned
    }

    deinit {
        switch storage {
        case .mapped:
            munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
        case .owned:
            explicit_bzero(UnsafeMutableRawPointer(mutating: bytes.baseAddress!), bytes.count)
            bytes.deallocate()
        }
    }
}
