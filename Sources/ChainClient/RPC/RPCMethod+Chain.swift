import Ethereum

extension RPCMethod where Result == UInt64 {
    public static var chainId: RPCMethod<UInt64> {
        RPCMethod(name: "eth_chainId", params: []) { reader throws(InvalidResponse) in try reader.uint64() }
    }

    public static var blockNumber: RPCMethod<UInt64> {
        RPCMethod(name: "eth_blockNumber", params: []) { reader throws(InvalidResponse) in try reader.uint64() }
    }

    public static func getTransactionCount(_ address: Address, _ tag: BlockTag) -> RPCMethod<UInt64> {
        RPCMethod(name: "eth_getTransactionCount", params: [.string(Hex.encode(address.bytes)), tag.jsonValue]) { reader throws(InvalidResponse) in
            try reader.uint64()
        }
    }

    public static func estimateGas(_ call: CallRequest) -> RPCMethod<UInt64> {
        RPCMethod(name: "eth_estimateGas", params: [call.jsonValue]) { reader throws(InvalidResponse) in try reader.uint64() }
    }
}

extension RPCMethod where Result == UInt256 {
    public static var gasPrice: RPCMethod<UInt256> {
        RPCMethod(name: "eth_gasPrice", params: []) { reader throws(InvalidResponse) in try reader.quantity() }
    }

    public static var maxPriorityFeePerGas: RPCMethod<UInt256> {
        RPCMethod(name: "eth_maxPriorityFeePerGas", params: []) { reader throws(InvalidResponse) in try reader.quantity() }
    }

    public static func getBalance(_ address: Address, _ tag: BlockTag) -> RPCMethod<UInt256> {
        RPCMethod(name: "eth_getBalance", params: [.string(Hex.encode(address.bytes)), tag.jsonValue]) { reader throws(InvalidResponse) in
            try reader.quantity()
        }
    }
}

extension RPCMethod where Result == [UInt8] {
    public static func getCode(_ address: Address, _ tag: BlockTag) -> RPCMethod<[UInt8]> {
        RPCMethod(name: "eth_getCode", params: [.string(Hex.encode(address.bytes)), tag.jsonValue]) { reader throws(InvalidResponse) in
            try reader.data()
        }
    }

    public static func call(_ call: CallRequest, _ tag: BlockTag) -> RPCMethod<[UInt8]> {
        RPCMethod(name: "eth_call", params: [call.jsonValue, tag.jsonValue]) { reader throws(InvalidResponse) in try reader.data() }
    }
}

extension RPCMethod where Result == FeeHistory {
    /// `percentiles` must rise monotonically within 0…100 (checked by ``RPCClient/feeHistory``).
    public static func feeHistory(blockCount: UInt64, newest: BlockTag, percentiles: [Double]) -> RPCMethod<FeeHistory> {
        let params: [ExactJSON] = [
            .string(Hex.quantity(blockCount)), newest.jsonValue,
            .array(percentiles.map { .number(String($0)) })
        ]
        return RPCMethod(name: "eth_feeHistory", params: params) { reader throws(InvalidResponse) in
            try FeeHistory(reader: reader, blockCount: blockCount, percentileCount: percentiles.count)
        }
    }
}

extension RPCMethod where Result == [Log] {
    /// Every returned log is checked against the filter: a log the filter excludes is a wrong answer.
    public static func getLogs(_ filter: LogFilter) -> RPCMethod<[Log]> {
        RPCMethod(name: "eth_getLogs", params: [filter.jsonValue]) { reader throws(InvalidResponse) in
            var logs: [Log] = []
            for element in try reader.elements() {
                let log = try Log(reader: element)
                guard filter.admits(log) else {
                    throw .inconsistent(field: element.path, reason: "log outside the filter")
                }
                logs.append(log)
            }
            return logs
        }
    }
}
