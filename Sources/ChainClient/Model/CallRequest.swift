import Ethereum

/// The message of `eth_call` and `eth_estimateGas`. Absent fields are left to the node's defaults.
public struct CallRequest: Hashable, Sendable {
    public var from: Address?
    /// `nil` for a contract creation.
    public var to: Address?
    public var gas: UInt64?
    public var maxFeePerGas: UInt256?
    public var maxPriorityFeePerGas: UInt256?
    public var value: UInt256?
    public var data: [UInt8]

    public init(
        from: Address? = nil, to: Address?, gas: UInt64? = nil, maxFeePerGas: UInt256? = nil,
        maxPriorityFeePerGas: UInt256? = nil, value: UInt256? = nil, data: [UInt8] = []
    ) {
        self.from = from
        self.to = to
        self.gas = gas
        self.maxFeePerGas = maxFeePerGas
        self.maxPriorityFeePerGas = maxPriorityFeePerGas
        self.value = value
        self.data = data
    }

    var jsonValue: ExactJSON {
        // Both spellings, equal: geth reads `input`, older clients only `data`.
        var members: [String: ExactJSON] = ["input": .string(Hex.encode(data)), "data": .string(Hex.encode(data))]
        if let from { members["from"] = .string(Hex.encode(from.bytes)) }
        if let to { members["to"] = .string(Hex.encode(to.bytes)) }
        if let gas { members["gas"] = .string(Hex.quantity(gas)) }
        if let maxFeePerGas { members["maxFeePerGas"] = .string(Hex.quantity(maxFeePerGas)) }
        if let maxPriorityFeePerGas { members["maxPriorityFeePerGas"] = .string(Hex.quantity(maxPriorityFeePerGas)) }
        if let value { members["value"] = .string(Hex.quantity(value)) }
        return .object(members)
    }
}
