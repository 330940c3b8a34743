import Ethereum
import Secp256k1

extension Envelope {
    /// The encoded envelope, as submitted with the request.
    public var bytes: [UInt8] {
        var output = authenticatedHeader
        output.reserveCapacity(Self.size(recipients: recipients.count, payloadBytes: payloadSize))
        output += payloadNonce
        output.appendBigEndian(UInt64(payloadCiphertext.count), width: 4)
        output += payloadCiphertext
        output += payloadTag
        return output
    }

    /// Magic through ephemeral key: the HKDF salt of every recipient's wrap key.
    var keyScheduleHeader: [UInt8] {
        Self.keyScheduleHeader(context: context, ephemeralKey: ephemeralKey)
    }

    /// Everything before the payload nonce: the payload's associated data.
    var authenticatedHeader: [UInt8] {
        Self.authenticatedHeader(context: context, ephemeralKey: ephemeralKey, recipients: recipients)
    }

    static func authenticatedHeader(context: EnvelopeContext, ephemeralKey: PublicKey, recipients: [WrappedDataKey]) -> [UInt8] {
        var output = keyScheduleHeader(context: context, ephemeralKey: ephemeralKey)
        output.append(UInt8(recipients.count))
        for entry in recipients {
            output += entry.recipient.bytes
            output += entry.ciphertext
            output += entry.tag
        }
        return output
    }

    static func keyScheduleHeader(context: EnvelopeContext, ephemeralKey: PublicKey) -> [UInt8] {
        var output = magic
        output.reserveCapacity(keyScheduleHeaderSize)
        output.append(version)
        output.appendBigEndian(context.chainID, width: 8)
        output += context.contract.bytes
        output += context.requester.bytes
        output += context.outputKey.compressed
        output += ephemeralKey.compressed
        return output
    }
}
