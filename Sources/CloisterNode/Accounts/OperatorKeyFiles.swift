import Ethereum
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Secp256k1

/// Reading and writing the files operator keys live in: keystores, password files and raw key files —
/// the one reader of secret files for the CLI, the node's `[llm]` API key and the test-only adversary.
/// Secrets are read into byte arrays that are wiped after use, and never appear in error messages.
package enum OperatorKeyFiles {
    /// The first line of `path` (without `\n` or `\r\n`) as UTF-8 bytes, as geth reads `--password` files.
    package static func password(at path: String) throws -> [UInt8] {
        var contents = try readBytes(path)
        defer { wipe(&contents) }
        let end = contents.firstIndex(of: 0x0A) ?? contents.count
        var line = Array(contents[..<end])
        if line.last == 0x0D { line.removeLast() }
        return line
    }

    /// The key in a file holding 64 hex digits (with or without `0x`, surrounding whitespace allowed).
    package static func privateKey(at path: String) throws -> PrivateKey {
        var bytes = try hexSecret32(at: path, holding: "a 32-byte hex private key")
        defer { wipe(&bytes) }
        do { return try PrivateKey(bytes: bytes) } catch { throw KeyFileError("\(path) holds an invalid secp256k1 private key") }
    }

    /// The 32 bytes in a file holding 64 hex digits (with or without `0x`, surrounding whitespace allowed),
    /// e.g. a model key; the caller wipes them. `holding` names the content for the error.
    package static func hexSecret32(at path: String, holding: String) throws -> [UInt8] {
        var contents = try readBytes(path)
        defer { wipe(&contents) }
        let whitespace: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]
        let start = contents.firstIndex { !whitespace.contains($0) } ?? contents.count
        let end = (contents.lastIndex { !whitespace.contains($0) } ?? -1) + 1
        var digits = start < end ? Array(contents[start..<end]) : []
        defer { wipe(&digits) }
        if digits.count >= 2, digits[0] == 0x30, digits[1] == 0x78 || digits[1] == 0x58 { digits.removeFirst(2) }
        guard digits.count == 64 else { throw KeyFileError("\(path) does not hold \(holding)") }
        var bytes = [UInt8](repeating: 0, count: 32)
        for index in 0..<32 {
            guard let high = nibble(digits[2 * index]), let low = nibble(digits[2 * index + 1]) else {
                wipe(&bytes)
                throw KeyFileError("\(path) does not hold \(holding)")
            }
            bytes[index] = high << 4 | low
        }
        return bytes
    }

    /// Decrypts the keystore at `path` with the password in `passwordFile`.
    package static func decrypt(keystore path: String, passwordFile: String) throws -> PrivateKey {
        let keystore: Keystore
        do { keystore = try Keystore(json: readBytes(path)) } catch let error as KeystoreError {
            throw KeyFileError("\(path): \(error)")
        }
        var password = try password(at: passwordFile)
        defer { wipe(&password) }
        do { return try keystore.decrypt(password: password) } catch { throw KeyFileError("\(path): \(error)") }
    }

    /// Encrypts `key` and writes a new keystore at `path`, readable only by its owner. Never overwrites.
    package static func write(_ key: PrivateKey, keystore path: String, passwordFile: String, lightKDF: Bool) throws {
        var password = try password(at: passwordFile)
        defer { wipe(&password) }
        let kdf = lightKDF ? try KeystoreKDF.lightScrypt() : try KeystoreKDF.standardScrypt()
        try createOwnerOnly(path, Array(try Keystore.encrypt(key, password: password, kdf: kdf).jsonData()))
    }

    /// Writes 32 secret bytes as 64 hex digits and a newline to a new file at `path`, readable by its owner
    /// only (0600); never overwrites. What ``hexSecret32(at:holding:)`` reads.
    package static func writeHexSecret32(_ secret: [UInt8], at path: String) throws {
        precondition(secret.count == 32)
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in secret { text += [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]] }
        text.append(0x0A)
        defer { wipe(&text) }
        try createOwnerOnly(path, text)
    }

    /// Writes `contents` to a new file at `path` (never over an existing one), readable by its owner only.
    private static func createOwnerOnly(_ path: String, _ contents: [UInt8]) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw KeyFileError("cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let written = contents.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        guard written == contents.count else { throw KeyFileError("cannot write \(path)") }
    }

    /// Reads to the end, so pipes and `/dev/stdin` work as well as regular files.
    package static func readBytes(_ path: String) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw KeyFileError("cannot read \(path)") }
        defer { try? handle.close() }
        guard var data = try? handle.readToEnd() ?? Data() else { throw KeyFileError("cannot read \(path)") }
        defer { data.resetBytes(in: 0..<data.count) }
        return Array(data)
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case 0x30...0x39: character - 0x30
        case 0x61...0x66: character - 0x61 + 10
        case 0x41...0x46: character - 0x41 + 10
        default: nil
        }
    }

    package static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { raw in
            if let base = raw.baseAddress { explicit_bzero(base, raw.count) }
        }
    }
}

/// A key or secret file that cannot be used; names the file, never its contents.
package struct KeyFileError: Error, CustomStringConvertible {
    package let description: String

    init(_ description: String) {
        self.description = description
    }
}
