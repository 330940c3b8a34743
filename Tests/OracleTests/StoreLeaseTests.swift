import Ethereum
import Foundation
import Oracle
import OraclePostgres
import Testing

/// Two node processes sharing one PostgreSQL store: one writes under a lease; a stale leader's writes
/// fail inside their own transaction once another node took over, so at most one node's writes land.
@Suite struct StoreLeaseTests {
    static func open(_ location: PostgresStoreLocation) async throws -> PostgresJobStore {
        try await TestPostgres.open(location)
    }

    @Test func aStaleLeadersWritesFailOnceAnotherNodeTookOver() async throws {
        let location = try await TestPostgres.newDatabase()
        let first = try await Self.open(location), second = try await Self.open(location)
        let short = Duration.milliseconds(400)
        let (epoch, _) = try await first.tryAcquireLease(holder: "first", duration: short)
        #expect(epoch == 1)
        let (none, current) = try await second.tryAcquireLease(holder: "second", duration: short)
        #expect(none == nil && current?.holder == "first", "the lease runs: the other node stands by")
        let job = JobStoreTests.job(1, block: 2)
        try await first.commit(ScanBatch(blocks: JobStoreTests.blocks(1...2), jobs: [job], nextBlock: 3))
        try await Task.sleep(for: .milliseconds(600))
        let (taken, _) = try await second.tryAcquireLease(holder: "second", duration: .seconds(30))
        #expect(taken == 2, "an expired lease is taken over with the next epoch")
        await #expect(throws: PostgresStoreError.self) {
            try await first.transition(job.key, to: .executing, JobChanges())
        }
        await #expect(throws: PostgresStoreError.self) {
            try await first.renewLease(holder: "first", epoch: 1, duration: short)
        }
        #expect(try await second.job(job.key)?.state == .observed, "the stale leader's write did not land")
        #expect(try await second.transition(job.key, to: .executing, JobChanges()) == .applied)
        #expect(try await first.job(job.key)?.state == .executing, "a stale leader may still read")
    }

    @Test func aLeaseRenewedInTimeIsKeptAndAReleasedOneIsTakenAtOnce() async throws {
        let location = try await TestPostgres.newDatabase()
        let first = try await Self.open(location), second = try await Self.open(location)
        let short = Duration.milliseconds(500)
        let epoch = try #require(try await first.tryAcquireLease(holder: "first", duration: short).epoch)
        for _ in 0..<3 {
            try await Task.sleep(for: .milliseconds(250))
            try await first.renewLease(holder: "first", epoch: epoch, duration: short)
            #expect(try await second.tryAcquireLease(holder: "second", duration: short).epoch == nil)
        }
        try await first.releaseLease(holder: "first", epoch: epoch)
        #expect(try await second.tryAcquireLease(holder: "second", duration: short).epoch == epoch + 1)
    }
}
