import Ethereum

/// A decoded transaction as named fields, named and encoded as JSON-RPC's transaction objects
/// (quantities as `0x…` without leading zeros, data as `0x…`, `to` null for contract creation).
struct TransactionFields {
    /// Scalar fields in display order; a `nil` value is JSON's null.
    let entries: [(name: String, value: String?)]
    /// Present for type-2 transactions only.
    let accessList: [AccessListEntry]?

    init(_ transaction: SignedTransaction, sender: Address) {
        var entries: [(name: String, value: String?)] = [("hash", transaction.hash.hex), ("from", sender.checksummed)]
        switch transaction {
        case .legacy(let signed):
            let body = signed.transaction
            entries += [
                ("type", "0x0"), ("chainId", body.chainId.map { Hex.quantity($0) }), ("nonce", Hex.quantity(body.nonce)),
                ("gasPrice", Hex.quantity(body.gasPrice)), ("gas", Hex.quantity(body.gasLimit)),
                ("to", body.to?.checksummed), ("value", Hex.quantity(body.value)), ("input", Hex.encode(body.data)),
                ("v", Hex.quantity(signed.v))
            ]
            accessList = nil
        case .eip1559(let signed):
            let body = signed.transaction
            let parity = Hex.quantity(UInt64(signed.signature.yParity))
            entries += [
                ("type", "0x2"), ("chainId", Hex.quantity(body.chainId)), ("nonce", Hex.quantity(body.nonce)),
                ("maxPriorityFeePerGas", Hex.quantity(body.maxPriorityFeePerGas)),
                ("maxFeePerGas", Hex.quantity(body.maxFeePerGas)), ("gas", Hex.quantity(body.gasLimit)),
                ("to", body.to?.checksummed), ("value", Hex.quantity(body.value)), ("input", Hex.encode(body.data)),
                ("v", parity), ("yParity", parity)
            ]
            accessList = body.accessList
        }
        entries += [("r", Hex.quantity(transaction.signature.r)), ("s", Hex.quantity(transaction.signature.s))]
        self.entries = entries
    }

    /// Aligned `name value` lines; the access list one line per storage key.
    var text: String {
        var lines = entries.map { pad($0.name) + ($0.value ?? "null (contract creation)") }
        for entry in accessList ?? [] {
            lines.append(pad("access") + entry.address.checksummed)
            lines += entry.storageKeys.map { pad("  storage key") + $0.hex }
        }
        return lines.joined(separator: "\n")
    }

    /// One JSON object with sorted keys. Every value is hex, an address or null, so nothing needs escaping.
    var json: String {
        var members = entries.map { "\"\($0.name)\":" + ($0.value.map { "\"\($0)\"" } ?? "null") }
        if let accessList {
            let items = accessList.map { entry in
                let keys = entry.storageKeys.map { "\"\($0.hex)\"" }.joined(separator: ",")
                return "{\"address\":\"\(entry.address.checksummed)\",\"storageKeys\":[\(keys)]}"
            }
            members.append("\"accessList\":[\(items.joined(separator: ","))]")
        }
        return "{" + members.sorted().joined(separator: ",") + "}"
    }

    private func pad(_ name: String) -> String {
        name + String(repeating: " ", count: max(1, 22 - name.count))
    }
}
