import Ethereum

/// A request as the `Requested` event announces it: everything a node needs to execute it, and anyone
/// needs to resupply the request's fields to the contract (which keeps only their hash).
public struct PendingRequest: Hashable, Sendable {
    public let id: Bytes32
    public let node: UInt256
    public let model: Bytes32
    public let requester: Address
    public let callback: Address
    public let callbackGas: UInt256
    public let fee: UInt256
    public let deadline: UInt256
    /// Enclave node ids the input is encrypted to; empty for a plaintext request.
    public let recipients: [UInt256]
    /// The requester's public key for the output (empty: plaintext output).
    public let outputKey: [UInt8]
    /// The input: plaintext, or an envelope for `recipients`.
    public let input: [UInt8]

    public static var event: ABIEvent { CloisterContract.requested }

    /// Decodes a `Requested` log; any deviation from the layout is an error.
    public init(topics: [Bytes32], data: [UInt8]) throws(ABIError) {
        let values = try Self.event.decodeLog(topics: topics, data: data)
        id = try values[0].asBytes32()
        node = try values[1].asUInt()
        model = try values[2].asBytes32()
        requester = try values[3].asAddress()
        callback = try values[4].asAddress()
        callbackGas = try values[5].asUInt()
        fee = try values[6].asUInt()
        deadline = try values[7].asUInt()
        var recipientIDs: [UInt256] = []
        for element in try values[8].asElements() { recipientIDs.append(try element.asUInt()) }
        recipients = recipientIDs
        outputKey = try values[9].asBytes()
        input = try values[10].asBytes()
    }

    /// The form a job keeps: the log's topics and data, ABI-encoded, decoded again by ``init(stored:)``.
    public static func stored(topics: [Bytes32], data: [UInt8]) -> [UInt8] {
        ABI.encode([.array(topics.map(ABIValue.bytes32)), .bytes(data)])
    }

    /// Decodes what ``stored(topics:data:)`` kept.
    public init(stored: [UInt8]) throws(ABIError) {
        let values = try ABI.decode([.array(.fixedBytes(32)), .bytes], from: stored)
        var topics: [Bytes32] = []
        for element in try values[0].asElements() { topics.append(try element.asBytes32()) }
        try self.init(topics: topics, data: try values[1].asBytes())
    }

    /// The `Request` struct the contract hashed: `(id, requester, model, inputHash, callback, callbackGas,
    /// fee, deadline, node, recipientsHash)`.
    public var requestTuple: ABIValue {
        .tuple([
            .bytes32(id), .address(requester), .bytes32(model), .bytes32(Keccak256.hash(input)), .address(callback),
            .uint(callbackGas), .uint(fee), .uint(deadline), .uint(node), .bytes32(recipientsHash)
        ])
    }

    /// keccak256(abi.encode(recipients)), or zero for a plaintext request.
    public var recipientsHash: Bytes32 {
        recipients.isEmpty ? .zero : Keccak256.hash(ABI.encode([.array(recipients.map(ABIValue.uint))]))
    }
}
