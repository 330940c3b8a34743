import Ethereum
import Foundation
import Testing
@testable import Oracle

/// A job store remembers which chain, contract and node it serves, and refuses to serve another.
@Suite struct StoreOwnerTests {
    @Test func aStoreServesOnlyTheOwnerItWasFirstOpenedFor() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("owner-\(UUID().uuidString).sqlite").path
        let owner = StoreOwner(chainID: 31_337, contract: Address(Array(repeating: 0xC0, count: 20))!, nodeID: UInt256(1).bytes32)
        try await SQLiteJobStore(path: path).claim(for: owner, path: path)
        try await SQLiteJobStore(path: path).claim(for: owner, path: path)
        let others = [
            StoreOwner(chainID: 1, contract: owner.contract, nodeID: owner.nodeID),
            StoreOwner(chainID: owner.chainID, contract: Address(Array(repeating: 0xC1, count: 20))!, nodeID: owner.nodeID),
            StoreOwner(chainID: owner.chainID, contract: owner.contract, nodeID: UInt256(2).bytes32),
        ]
        for other in others {
            await #expect(throws: StoreOwnerMismatch.self) { try await SQLiteJobStore(path: path).claim(for: other, path: path) }
        }
        do {
            try await SQLiteJobStore(path: path).claim(for: others[0], path: path)
        } catch let mismatch as StoreOwnerMismatch {
            #expect(mismatch.description.contains("chain 31337") && mismatch.description.contains("store.path"))
        }
    }
}
