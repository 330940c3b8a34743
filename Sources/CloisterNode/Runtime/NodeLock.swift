#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// One writer per node: an exclusive lock on `<store.path>.lock`, held from start to exit by
/// `cloister node run` and taken briefly by `node rotate-key`. A second process refuses to start,
/// naming the holder (its pid and start time, written into the file). The lock is the kernel's
/// (`flock`), so a `kill -9` releases it with the process: no stale lock to clean up.
final class NodeLock: Sendable {
    let path: String
    private let descriptor: Int32

    /// Takes the lock for `storePath`, or throws naming the process that holds it.
    init(storePath: String, purpose: String) throws(NodeLockError) {
        path = storePath + ".lock"
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .unusable(path: path, reason: String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = Self.read(fd)
            close(fd)
            throw .held(path: path, holder: holder)
        }
        let record = "pid \(getpid()), \(purpose), since \(ISO8601DateFormatter().string(from: Date()))\n"
        _ = ftruncate(fd, 0)
        _ = record.withCString { pwrite(fd, $0, strlen($0), 0) }
        descriptor = fd
    }

    deinit {
        _ = ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    private static func read(_ fd: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = pread(fd, &buffer, buffer.count, 0)
        let text = count > 0 ? String(decoding: buffer.prefix(count), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : ""
        return text.isEmpty ? "another process" : text
    }
}

/// Why the node's lock could not be taken.
enum NodeLockError: Error, CustomStringConvertible {
    case held(path: String, holder: String)
    case unusable(path: String, reason: String)

    var description: String {
        switch self {
        case let .held(path, holder):
            "this node's store is in use by another cloister process (\(holder); lock \(path)): one node, one writer. "
                + "Stop that process first, or give this one its own store.path and enclave key"
        case let .unusable(path, reason):
            "cannot create the lock file \(path): \(reason). Fix: make the folder of store.path writable"
        }
    }
}
