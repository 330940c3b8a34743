import Ethereum
import Foundation
import Oracle
import PostgresNIO

extension PostgresJobStore {
    /// Records `owner` in a new store, or checks it against the one recorded (as ``SQLiteJobStore``'s
    /// `claim` does): a database reused for another chain, contract or node is refused.
    package func claim(for owner: StoreOwner) async throws {
        let recorded = try await session.transaction { connection, logger -> StoreOwner? in
            try await connection.query(
                """
                INSERT INTO store_owner (id, chain_id, contract, node_id)
                VALUES (1, \(Int64(owner.chainID)), \(Data(owner.contract.bytes)), \(Data(owner.nodeID.bytes)))
                ON CONFLICT (id) DO NOTHING
                """, logger: logger)
            var recorded: StoreOwner?
            for try await (chainID, contract, node) in try await connection.query(
                "SELECT chain_id, contract, node_id FROM store_owner WHERE id = 1", logger: logger
            ).decode((Int64, Data, Data).self) {
                if let address = Address(contract), let nodeID = Bytes32(node) {
                    recorded = StoreOwner(chainID: UInt64(chainID), contract: address, nodeID: nodeID)
                }
            }
            return recorded
        }
        guard let recorded, recorded == owner else {
            throw StoreOwnerMismatch(
                path: location.description, recorded: recorded ?? owner, expected: owner,
                fix: "point store.url at a new database for this deployment")
        }
    }
}
