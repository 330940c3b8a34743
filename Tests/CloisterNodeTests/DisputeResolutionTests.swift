import CloisterClient
import Ethereum
import Oracle
import Testing
@testable import CloisterNode

/// How a `DisputeResolved` event leaves a result the node is party to: what the core now holds, whether
/// the node's own commitment won, and whether the keeper still has to settle or deliver it.
@Suite struct DisputeResolutionTests {
    static let posted = Keccak256.hash([1]), corrected = Keccak256.hash([2])

    static func record(parts: Set<JobRole>) throws -> ResultRecord {
        let log = try ContractBindingTests.requestedLog(node: 2, input: Array("hello".utf8))
        var record = ResultRecord(
            request: PendingRequest.stored(topics: log.topics, data: log.data), executor: 2,
            fulfilment: Fulfilment(commitment: posted, block: 40, fulfilledAt: 1_900_000_100, state: .disputed, verifier: 7, status: 0, paramsVersion: 1),
            parts: parts)
        record.challenger = 7
        record.challengerCommitment = corrected
        return record
    }

    @Test func withoutAMajorityTheRequestIsRefundedAndNothingIsLeftToDo() throws {
        let resolution = DutyScanner.Resolution(winner: .zero, executorLost: true)
        #expect(resolution.refunded)
        for (parts, ours) in [([JobRole.executor], Self.posted), ([.verifier], Self.corrected), ([.juror], Self.corrected), ([.challenger], Self.corrected)] {
            var record = try Self.record(parts: Set(parts))
            let before = record
            #expect(resolution.apply(to: &record, ours: ours) == nil, "neither won nor lost: a slash is only what a Slashed event says")
            #expect(record == before, "no settle and no delivery is prepared for a refunded request")
            #expect(!resolution.leavesWork(for: record, ours: ours))
        }
    }

    @Test func anUpheldResultIsLeftToItsExecutorToSettle() throws {
        let resolution = DutyScanner.Resolution(winner: Self.posted, executorLost: false)
        #expect(!resolution.refunded)
        var executor = try Self.record(parts: [.executor])
        #expect(resolution.apply(to: &executor, ours: Self.posted) == true)
        #expect(executor.fulfilment.state == .upheld)
        #expect(executor.fulfilment.verifier == .zero, "the verifier that disputed it lost")
        #expect(resolution.leavesWork(for: executor, ours: Self.posted))
        var challenger = try Self.record(parts: [.challenger])
        #expect(resolution.apply(to: &challenger, ours: Self.corrected) == false)
        #expect(!resolution.leavesWork(for: challenger, ours: Self.corrected))
    }

    @Test func anOverturnedResultIsDeliveredByTheWinningSideOnly() throws {
        let resolution = DutyScanner.Resolution(winner: Self.corrected, executorLost: true)
        #expect(!resolution.refunded)
        var juror = try Self.record(parts: [.juror])
        #expect(resolution.apply(to: &juror, ours: Self.corrected) == true)
        #expect(juror.fulfilment.state == .overturned)
        #expect(juror.fulfilment.commitment == Self.corrected)
        #expect(resolution.leavesWork(for: juror, ours: Self.corrected))
        var executor = try Self.record(parts: [.executor])
        #expect(resolution.apply(to: &executor, ours: Self.posted) == false)
        #expect(!resolution.leavesWork(for: executor, ours: Self.posted))
        var outvoted = try Self.record(parts: [.juror])
        #expect(resolution.apply(to: &outvoted, ours: Self.posted) == false)
        #expect(!resolution.leavesWork(for: outvoted, ours: Self.posted))
    }
}
