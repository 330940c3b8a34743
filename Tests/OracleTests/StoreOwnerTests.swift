import Ethereum
import Foundation
import Testing
@testable import Oracle

/// A job store remembers which chain, contract and node it serves, and refuses to serve another.
@Suite struct StoreOwnerTests {
    @Test(arguments: StoreKind.allCases) func aStoreServesOnlyTheOwnerItWasFirstOpenedFor(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind, persistent: true)
        defer { fixture.remove() }
        let owner = StoreOwner(chainID: 31_337, contract: Address(Array(repeating: 0xC0, count: 20))!, nodeID: UInt256(1).bytes32)
        try await fixture.claim(owner)
        try await fixture.claim(owner)
        let others = [
            StoreOwner(chainID: 1, contract: owner.contract, nodeID: owner.nodeID),
            StoreOwner(chainID: owner.chainID, contract: Address(Array(repeating: 0xC1, count: 20))!, nodeID: owner.nodeID),
            StoreOwner(chainID: owner.chainID, contract: owner.contract, nodeID: UInt256(2).bytes32)
        ]
        for other in others {
            await #expect(throws: StoreOwnerMismatch.self) { try await fixture.claim(other) }
        }
        do {
            try await fixture.claim(others[0])
        } catch let mismatch as StoreOwnerMismatch {
            #expect(mismatch.description.contains("chain 31337") && mismatch.description.contains(kind == .sqlite ? "store.path" : "store.url"))
        }
    }
}
