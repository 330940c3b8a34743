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

    /// `KH`, the first 119 bytes (magic through recipient count): hashed into every wrap key.
    var keyHeader: [UInt8] {
        Self.keyHeader(context: context, keyCommitment: keyCommitment, count: recipients.count)
    }

    /// `AH`, everything before the payload nonce: the payload's associated data.
    var authenticatedHeader: [UInt8] {
        Self.authenticatedHeader(keyHeader: keyHeader, recipients: recipients)
    }

    static func authenticatedHeader(keyHeader: [UInt8], recipients: [WrappedDataKey]) -> [UInt8] {
        var output = keyHeader
        output.reserveCapacity(keyHeader.count + recipients.count * WrappedDataKey.encodedSize)
        for entry in recipients { output += entry.encoded }
        return output
    }

    static func keyHeader(context: EnvelopeContext, keyCommitment: Bytes32, count: Int) -> [UInt8] {
        var output = magic
        output.reserveCapacity(keyHeaderSize)
        output.append(version)
        output.appendBigEndian(context.chainID, width: 8)
        output += context.contract.bytes
        output += context.requester.bytes
        output += context.outputKey.compressed
        output += keyCommitment.bytes
        output.append(UInt8(truncatingIfNeeded: count))
        return output
    }
}
