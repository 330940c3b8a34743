import Ethereum
import Foundation

extension SealedModel {
    /// Opens the sealed file a registration names by its two hashes alone (the model vault records no
    /// layout): the plaintext length and chunk size are read from the file's own header, which the sealed
    /// hash covers, so nothing is decrypted unless the whole file is the registered one.
    public static func open(_ path: String, key: ModelKey, expectedPlaintext: Bytes32, expectedSealed: Bytes32) throws(SealedModelError) -> [UInt8] {
        guard let source = FileHandle(forReadingAtPath: path) else { throw .unreadable(path) }
        let header: [UInt8]
        do { header = [UInt8](try source.read(upToCount: headerLength) ?? Data()) } catch {
            try? source.close()
            throw .unreadable(path)
        }
        try? source.close()
        let (chunkSize, length, _) = try parse(header)
        return try open(
            path, key: key,
            expected: SealedModelDigests(plaintext: expectedPlaintext, sealed: expectedSealed, plaintextLength: length, chunkSize: chunkSize))
    }
}
