#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Unbuffered file operations for configfs attributes, which must be written in place (no temporary file
/// and rename) and read until end of file whatever size they report.
enum POSIXFile {
    struct Failure: Error {
        let path: String
        let errno: Int32
        var reason: String { String(cString: strerror(errno)) }
    }

    static func makeDirectory(_ path: String) throws {
        guard mkdir(path, 0o700) == 0 else { throw Failure(path: path, errno: errno) }
    }

    static func writeAll(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw Failure(path: path, errno: errno) }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written > 0 else { throw Failure(path: path, errno: errno) }
            offset += written
        }
    }

    /// The whole file, reading until end of file; refuses more than `limit` bytes.
    static func readAll(_ path: String, limit: Int = 1 << 20) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw Failure(path: path, errno: errno) }
        defer { close(fd) }
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count >= 0 else { throw Failure(path: path, errno: errno) }
            if count == 0 { return result }
            result += buffer[0..<count]
            guard result.count <= limit else { throw Failure(path: path, errno: EFBIG) }
        }
    }

    /// The whole file, or nil when it does not exist (yet).
    static func readIfPresent(_ path: String) throws -> [UInt8]? {
        guard access(path, F_OK) == 0 else { return nil }
        return try readAll(path)
    }

    /// Removes an entry directory: `rmdir` is all configfs needs; an ordinary directory (a test imitation)
    /// has its files removed first.
    static func removeEntry(_ path: String, files: [String]) {
        if rmdir(path) == 0 { return }
        for file in files { unlink(path + "/" + file) }
        rmdir(path)
    }
}
