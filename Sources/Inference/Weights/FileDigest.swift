import Crypto
import Ethereum

/// SHA-256 of a mapped file's bytes.
enum FileDigest {
    static func sha256(_ file: ModelBytes) -> Bytes32 {
        var hasher = SHA256()
        hasher.update(bufferPointer: file.bytes)
        return Bytes32(Array(hasher.finalize())) ?? .zero
    }
}
