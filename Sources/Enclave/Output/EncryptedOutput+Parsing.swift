import Ethereum
import Secp256k1

extension EncryptedOutput {
    /// Parses untrusted bytes, checking the size cap before copying anything.
    public init(bytes: [UInt8], maxOutputBytes: Int = EncryptedOutput.defaultMaxOutputBytes) throws(OutputError) {
        let minimumSize = Self.headerSize + MessageKey.tagSize
        guard bytes.count - minimumSize <= maxOutputBytes else {
            throw .outputTooLarge(size: bytes.count - minimumSize, limit: maxOutputBytes)
        }
        var cursor = ByteCursor(bytes)
        let short = OutputError.truncated(expected: minimumSize, actual: bytes.count)
        guard try cursor.take(4, orThrow: short) == Self.magic else { throw .badMagic }
        let version = try cursor.take(1, orThrow: short)[0]
        guard version == Self.version else { throw .unsupportedVersion(version) }
        guard bytes.count >= minimumSize else { throw short }
        let chainID = try cursor.take(8, orThrow: short).reduce(0) { $0 << 8 | UInt64($1) }
        guard let contract = Address(try cursor.take(20, orThrow: short)),
            let requestID = Bytes32(try cursor.take(32, orThrow: short))
        else { throw short }
        let keyBytes = try cursor.take(33, orThrow: short)
        guard keyBytes[0] == 0x02 || keyBytes[0] == 0x03, let key = try? PublicKey(bytes: keyBytes) else {
            throw .invalidEphemeralKey
        }
        context = OutputContext(chainID: chainID, contract: contract, requestID: requestID)
        ephemeralKey = key
        ciphertext = try cursor.take(cursor.remaining - MessageKey.tagSize, orThrow: short)
        tag = try cursor.take(MessageKey.tagSize, orThrow: short)
    }
}
