#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Owner-only files for sealed state: created with mode 0600, replaced atomically (write a temporary
/// file, fsync, rename), so a crash leaves either the old or the new contents, never a mix.
enum SecureFile {
    /// The whole file, or `nil` when it does not exist. Files over `limit` bytes are refused before
    /// anything is read; the buffer is sized once, so no partial copy of a secret is left behind.
    static func contents(of path: String, limit: Int = 1 << 20) throws(KeyringError) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            if errno == ENOENT { return nil }
            throw .fileSystem(path: path, errno: errno)
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .fileSystem(path: path, errno: errno) }
        let size = Int(status.st_size)
        guard size <= limit else { throw .malformedKeyring(path: path) }
        var contents = [UInt8](repeating: 0, count: size)
        var filled = 0
        while filled < size {
            let count = contents.withUnsafeMutableBytes { raw in
                guard let base = raw.baseAddress else { return 0 }
                return read(descriptor, base + filled, size - filled)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw .fileSystem(path: path, errno: errno)
            }
            if count == 0 { break }
            filled += count
        }
        guard filled == size else { throw .malformedKeyring(path: path) }
        return contents
    }

    /// Creates `path` with `contents`, failing if it already exists.
    static func createExclusively(_ path: String, contents: [UInt8]) throws(KeyringError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .fileSystem(path: path, errno: errno) }
        defer { close(descriptor) }
        try writeAll(contents, to: descriptor, path: path)
    }

    /// Replaces `path` with `contents` atomically.
    static func replace(_ path: String, contents: [UInt8]) throws(KeyringError) {
        let temporary = path + ".tmp"
        unlink(temporary)
        try createExclusively(temporary, contents: contents)
        guard rename(temporary, path) == 0 else { throw .fileSystem(path: path, errno: errno) }
        try syncDirectory(of: path)
    }

    /// Makes the rename itself durable.
    private static func syncDirectory(of path: String) throws(KeyringError) {
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let descriptor = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .fileSystem(path: directory, errno: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw .fileSystem(path: directory, errno: errno) }
    }

    private static func writeAll(_ contents: [UInt8], to descriptor: Int32, path: String) throws(KeyringError) {
        var written = 0
        while written < contents.count {
            let count = contents[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .fileSystem(path: path, errno: errno)
            }
            written += count
        }
        guard fsync(descriptor) == 0 else { throw .fileSystem(path: path, errno: errno) }
    }
}
