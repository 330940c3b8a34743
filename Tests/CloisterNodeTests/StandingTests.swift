@testable import CloisterClient
import Ethereum
import Foundation
import Oracle
import Secp256k1
import Testing
@testable import CloisterNode

/// What the node says of its standing, from the registry's record: each case the operator review met
/// (jailed by one slash, exited, unstaked, key rotated away, attestation lapsing) is a problem with its fix.
@Suite struct StandingTests {
    static let key = PrivateKey()
    static var signer: Address { Address(publicKey: key.publicKey) }
    static let now: UInt64 = 1_800_000_000

    /// A `nodes(id)` record as the registry returns it.
    static func node(
        status: UInt64 = 1, stake: UInt256 = UInt256(2_000_000_000_000_000_000), signer: Address = signer,
        expiry: UInt64 = now + 10 * 86_400, unbondAt: UInt64 = 0
    ) throws -> RegisteredNode {
        let record = ABI.encode([
            .tuple([
                .address(Address(Array(repeating: 7, count: 20))!), .address(signer),
                .bytes(Array(key.publicKey.uncompressed.dropFirst())), .uint(stake), .uint(UInt256(status)),
                .uint(UInt256(unbondAt)), .bytes32(.zero), .bytes32(.zero), .uint(UInt256(expiry)), .bytes32(.zero),
                .uint(.zero), .array([])
            ])
        ])
        return try #require(try RegisteredNode(id: UInt256(1), returnData: record))
    }

    static func assess(_ node: RegisteredNode?) throws -> NodeStanding {
        Standing.assess(node, nodeID: UInt256(1), signer: signer, parameters: try ProtocolParametersTests.parameters(), now: now)
    }

    @Test func anActiveWellStakedNodeCanWork() throws {
        let standing = try Self.assess(try Self.node())
        #expect(standing.canWork && standing.warnings.isEmpty && standing.status == "active" && standing.keyIsCurrent)
    }

    @Test func eachChainFactThatStopsWorkIsAProblemWithItsFix() throws {
        let cases: [(RegisteredNode?, String)] = [
            (nil, "not registered"),
            (try Self.node(status: 3, stake: UInt256(990_000_000_000_000_000)), "jailed on chain"),
            (try Self.node(status: 2, unbondAt: Self.now + 100), "exiting"),
            (try Self.node(stake: .zero), "no stake"),
            (try Self.node(signer: Address(Array(repeating: 9, count: 20))!), "rotated away"),
            (try Self.node(expiry: Self.now - 1), "expired"),
            (try Self.node(expiry: Self.now + 60), "within the minimum response time")
        ]
        for (node, fragment) in cases {
            let standing = try Self.assess(node)
            #expect(!standing.canWork && standing.problems.contains { $0.contains(fragment) }, "\(fragment): \(standing.problems)")
        }
    }

    @Test func aStakeOneSlashFromJailAndANearExpiryAreWarnings() throws {
        let standing = try Self.assess(try Self.node(stake: UInt256(1_000_000_000_000_000_000), expiry: Self.now + 3_600))
        #expect(standing.canWork)
        #expect(standing.warnings.contains { $0.contains("leaves no margin") && $0.contains("stake at least 1010101010101010102 wei") })
        #expect(standing.warnings.contains { $0.contains("within a day") })
        // The stake it names survives the slash the contract takes (stake × timeoutSlashBps / 10000, rounded down).
        let safe = UInt256(1_010_101_010_101_010_102)
        #expect(safe - safe * UInt256(100) / UInt256(10_000) >= UInt256(1_000_000_000_000_000_000))
        #expect(Standing.slashMargin(stake: safe, parameters: try ProtocolParametersTests.parameters()) == nil)
    }

    @Test func aSecondLockOnTheSameStoreIsRefusedNamingTheHolder() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lock-\(UUID().uuidString)/jobs.sqlite").path
        var first: NodeLock? = try NodeLock(storePath: path, purpose: "node run")
        #expect(first != nil)
        #expect {
            try NodeLock(storePath: path, purpose: "node rotate-key")
        } throws: { error in
            "\(error)".contains("pid \(getpid()), node run") && "\(error)".contains("one node, one writer")
        }
        first = nil
        let second = try NodeLock(storePath: path, purpose: "node rotate-key")
        #expect(second.path == path + ".lock")
    }
}
