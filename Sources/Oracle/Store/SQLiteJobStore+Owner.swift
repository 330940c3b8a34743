import Ethereum
import Foundation
import GRDB

/// What a job store belongs to. Request ids are only unique per chain and contract, and jobs per node:
/// a store reused for another chain (a fresh dev chain repeats ids), contract or node would mistake new
/// requests for ones it already served.
package struct StoreOwner: Hashable, Sendable, CustomStringConvertible {
    package let chainID: UInt64
    package let contract: Address
    package let nodeID: Bytes32

    package init(chainID: UInt64, contract: Address, nodeID: Bytes32) {
        self.chainID = chainID
        self.contract = contract
        self.nodeID = nodeID
    }

    package var description: String { "chain \(chainID), contract \(contract), node \(UInt256(nodeID))" }
}

/// A store opened for another owner than the one that filled it.
package struct StoreOwnerMismatch: Error, CustomStringConvertible {
    /// The store as the operator names it (a file path, or a database URL without its password).
    package let path: String
    package let recorded: StoreOwner
    package let expected: StoreOwner
    /// What to point at a new store: the setting differs by store kind.
    package let fix: String

    package init(
        path: String, recorded: StoreOwner, expected: StoreOwner,
        fix: String = "point store.path at a new file for this deployment"
    ) {
        self.path = path
        self.recorded = recorded
        self.expected = expected
        self.fix = fix
    }

    package var description: String {
        "the job store \(path) belongs to \(recorded), not \(expected); \(fix)"
    }
}

extension SQLiteJobStore {
    /// Records `owner` in a new store, or checks it against the one recorded.
    package func claim(for owner: StoreOwner, path: String) async throws {
        let recorded = try await database.write { db -> StoreOwner? in
            if let row = try Row.fetchOne(db, sql: "SELECT chain_id, contract, node_id FROM store_owner WHERE id = 1") {
                let contract: Data = row["contract"], node: Data = row["node_id"]
                guard let address = Address(contract), let nodeID = Bytes32(node) else { return nil }
                return StoreOwner(chainID: UInt64(row["chain_id"] as Int64), contract: address, nodeID: nodeID)
            }
            try db.execute(
                sql: "INSERT INTO store_owner (id, chain_id, contract, node_id) VALUES (1, ?, ?, ?)",
                arguments: [Int64(owner.chainID), Data(owner.contract.bytes), Data(owner.nodeID.bytes)])
            return owner
        }
        guard let recorded, recorded == owner else {
            throw StoreOwnerMismatch(path: path, recorded: recorded ?? owner, expected: owner)
        }
    }
}
