import Ethereum

extension RPCMethod where Result == BlockHeader? {
    /// The block `tag` names, or `nil` when the node has no such block yet. A block numbered
    /// differently from the number asked for is a wrong answer.
    public static func getBlock(_ tag: BlockTag) -> RPCMethod<BlockHeader?> {
        RPCMethod(name: "eth_getBlockByNumber", params: [tag.jsonValue, .bool(false)]) { reader throws(InvalidResponse) in
            guard !reader.isNull else { return nil }
            let header = try BlockHeader(reader: reader)
            if case .number(let asked) = tag, header.number != asked {
                throw .inconsistent(field: reader.path + ".number", reason: "block \(header.number), asked for \(asked)")
            }
            return header
        }
    }

    /// The block with `hash`, or `nil` when the node does not know it.
    public static func getBlock(hash: Bytes32) -> RPCMethod<BlockHeader?> {
        RPCMethod(name: "eth_getBlockByHash", params: [.string(hash.hex), .bool(false)]) { reader throws(InvalidResponse) in
            guard !reader.isNull else { return nil }
            let header = try BlockHeader(reader: reader)
            guard header.hash == hash else {
                throw .inconsistent(field: reader.path + ".hash", reason: "another block's hash")
            }
            return header
        }
    }
}

extension RPCMethod where Result == TransactionReceipt? {
    /// The receipt, or `nil` while the transaction is unknown or not yet mined.
    public static func getTransactionReceipt(_ hash: Bytes32) -> RPCMethod<TransactionReceipt?> {
        RPCMethod(name: "eth_getTransactionReceipt", params: [.string(hash.hex)]) { reader throws(InvalidResponse) in
            guard !reader.isNull else { return nil }
            let receipt = try TransactionReceipt(reader: reader)
            guard receipt.transactionHash == hash else {
                throw .inconsistent(field: reader.path + ".transactionHash", reason: "receipt of another transaction")
            }
            return receipt
        }
    }
}

extension RPCMethod where Result == TransactionDetails? {
    public static func getTransactionByHash(_ hash: Bytes32) -> RPCMethod<TransactionDetails?> {
        RPCMethod(name: "eth_getTransactionByHash", params: [.string(hash.hex)]) { reader throws(InvalidResponse) in
            guard !reader.isNull else { return nil }
            let details = try TransactionDetails(reader: reader)
            guard details.hash == hash else {
                throw .inconsistent(field: reader.path + ".hash", reason: "another transaction")
            }
            return details
        }
    }
}

extension RPCMethod where Result == Bytes32 {
    /// Broadcasts `raw`. The node must answer with keccak256(raw); retried only by
    /// ``RPCClient/sendRawTransaction(_:)``, which knows when resending is safe.
    public static func sendRawTransaction(_ raw: [UInt8]) -> RPCMethod<Bytes32> {
        let expected = Keccak256.hash(raw)
        return RPCMethod(name: "eth_sendRawTransaction", params: [.string(Hex.encode(raw))], isIdempotent: false) { reader throws(InvalidResponse) in
            let hash = try reader.bytes32()
            guard hash == expected else {
                throw .inconsistent(field: reader.path, reason: "hash differs from keccak256 of the transaction")
            }
            return hash
        }
    }
}
