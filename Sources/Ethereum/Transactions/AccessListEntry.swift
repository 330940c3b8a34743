/// One account in an EIP-2930 access list, with the storage slots of it the transaction reads or writes.
public struct AccessListEntry: Hashable, Sendable {
    public var address: Address
    public var storageKeys: [Bytes32]

    public init(address: Address, storageKeys: [Bytes32]) {
        self.address = address
        self.storageKeys = storageKeys
    }

    /// `[address, [key, …]]`.
    var rlpItem: RLPItem {
        .list([RLPItem(address), .list(storageKeys.map(RLPItem.init))])
    }

    /// Reads `[address, [key, …]]`.
    init(rlpItem: RLPItem) throws(RLPError) {
        let parts = try rlpItem.listValue(count: 2)
        address = try parts[0].addressValue()
        var keys: [Bytes32] = []
        for key in try parts[1].listValue() { keys.append(try key.bytes32Value()) }
        storageKeys = keys
    }
}
