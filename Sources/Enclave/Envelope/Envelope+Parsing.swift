import Ethereum
import Secp256k1

extension Envelope {
    /// Parses untrusted bytes. Sizes are checked against `limits` and against the input length before
    /// anything is copied; keys are checked to be on the curve. Nothing is decrypted here.
    public init(bytes: [UInt8], limits: EnvelopeLimits = EnvelopeLimits()) throws(EnvelopeError) {
        guard bytes.count <= limits.maxEnvelopeBytes else {
            throw .envelopeTooLarge(size: bytes.count, limit: limits.maxEnvelopeBytes)
        }
        var cursor = ByteCursor(bytes)
        guard try cursor.take(4, orThrow: EnvelopeError.truncated(expected: 4, actual: bytes.count)) == Self.magic else {
            throw .badMagic
        }
        let fixedSize = Self.keyHeaderSize
        let short = EnvelopeError.truncated(expected: fixedSize, actual: bytes.count)
        let version = try cursor.take(1, orThrow: short)[0]
        guard version == Self.version else { throw .unsupportedVersion(version) }
        guard bytes.count >= fixedSize else { throw short }
        let chainID = try cursor.take(8, orThrow: short).reduce(0) { $0 << 8 | UInt64($1) }
        let contract = try Self.address(cursor.take(20, orThrow: short))
        let requester = try Self.address(cursor.take(20, orThrow: short))
        let outputKeyBytes = try cursor.take(33, orThrow: short)
        guard let commitment = Bytes32(try cursor.take(32, orThrow: short)) else { throw short }
        let count = Int(try cursor.take(1, orThrow: short)[0])

        guard count > 0 else { throw .noRecipients }
        guard count <= limits.maxRecipients else { throw .tooManyRecipients(count: count, limit: limits.maxRecipients) }
        let payloadLength = try Self.payloadLength(in: bytes, recipients: count)
        guard payloadLength <= limits.maxPayloadBytes else {
            throw .payloadTooLarge(size: payloadLength, limit: limits.maxPayloadBytes)
        }
        let expectedSize = Self.size(recipients: count, payloadBytes: payloadLength)
        guard bytes.count >= expectedSize else { throw .truncated(expected: expectedSize, actual: bytes.count) }
        guard bytes.count == expectedSize else { throw .trailingBytes(bytes.count - expectedSize) }

        let outputKey = try Self.compressedKey(outputKeyBytes, field: .outputKey)
        context = EnvelopeContext(chainID: chainID, contract: contract, requester: requester, outputKey: outputKey)
        keyCommitment = commitment
        let rest = EnvelopeError.truncated(expected: expectedSize, actual: bytes.count)
        recipients = try Self.readRecipients(count: count, from: &cursor, orThrow: rest)
        payloadNonce = try cursor.take(Self.payloadNonceSize, orThrow: rest)
        _ = try cursor.take(4, orThrow: rest)
        payloadCiphertext = try cursor.take(payloadLength, orThrow: rest)
        payloadTag = try cursor.take(MessageKey.tagSize, orThrow: rest)
    }

    /// The 4-byte big-endian payload length that follows the recipients and the nonce.
    private static func payloadLength(in bytes: [UInt8], recipients: Int) throws(EnvelopeError) -> Int {
        let lengthOffset = keyHeaderSize + recipients * WrappedDataKey.encodedSize + payloadNonceSize
        var cursor = ByteCursor(bytes)
        let short = EnvelopeError.truncated(expected: size(recipients: recipients, payloadBytes: 0), actual: bytes.count)
        _ = try cursor.take(lengthOffset, orThrow: short)
        return try cursor.take(4, orThrow: short).reduce(0) { $0 << 8 | Int($1) }
    }

    private static func readRecipients(
        count: Int, from cursor: inout ByteCursor,
        orThrow short: EnvelopeError
    ) throws(EnvelopeError) -> [WrappedDataKey] {
        var entries: [WrappedDataKey] = []
        entries.reserveCapacity(count)
        for _ in 0..<count {
            guard let recipientKey = KeyWrap.point(try cursor.take(64, orThrow: short)) else { throw .invalidPublicKey(.recipientKey) }
            guard let ephemeralKey = KeyWrap.point(try cursor.take(64, orThrow: short)) else { throw .invalidPublicKey(.ephemeralKey) }
            let wrapped = try cursor.take(DataKey.size, orThrow: short)
            entries.append(WrappedDataKey(recipientKey: recipientKey, ephemeralKey: ephemeralKey, wrappedKey: wrapped))
        }
        var seen = Set<PublicKey>()
        for entry in entries where !seen.insert(entry.recipientKey).inserted {
            throw .duplicateRecipient(entry.recipient)
        }
        return entries
    }

    /// 20 bytes read by the cursor are always an address.
    private static func address(_ bytes: [UInt8]) throws(EnvelopeError) -> Address {
        guard let address = Address(bytes) else { throw .truncated(expected: 20, actual: bytes.count) }
        return address
    }

    /// A 33-byte compressed point; the 65-byte form is not accepted in the header.
    static func compressedKey(_ bytes: [UInt8], field: EnvelopeKeyField) throws(EnvelopeError) -> PublicKey {
        guard bytes.count == 33, bytes[0] == 0x02 || bytes[0] == 0x03,
            let key = try? PublicKey(bytes: bytes)
        else { throw .invalidPublicKey(field) }
        return key
    }
}
