import CloisterClient
import Ethereum
import Foundation
import Oracle
import Testing
@testable import CloisterNode

/// The arbiter calls the node sends for its duties, decoded again with the compiled-ABI-checked signatures.
@Suite struct DutyEncodingTests {
    static let core = Address(Array(repeating: 0xCC, count: 20))!
    static let arbiter = Address(Array(repeating: 0xAA, count: 20))!
    static let fulfilment = Fulfilment(
        commitment: Keccak256.hash([1]), block: 40, fulfilledAt: 1_900_000_100, state: .fulfilled, verifier: .zero, status: 0, paramsVersion: 3)
    let encoder = CloisterResultEncoder(core: Self.core, arbiter: Self.arbiter, nodeID: 5)

    static func duty(
        _ role: JobRole, seat: Int? = nil, commitment: Bytes32 = Keccak256.hash([2]), errorCode: UInt16 = 0,
        recipients: [UInt256] = [], bond: UInt256? = nil
    ) throws -> Job {
        let log = try ContractBindingTests.requestedLog(node: 2, input: Array("hello".utf8), recipients: recipients)
        var job = Job(
            key: JobKey(requestID: log.topics[1], role: role), model: log.topics[3],
            request: PendingRequest.stored(topics: log.topics, data: log.data), observedIn: log.block, logIndex: 0, deadline: .max)
        job.context = DutyContext(fulfilment: fulfilment, seat: seat, bond: bond).encoded()
        job.result = JobResult(output: [9], errorCode: errorCode, commitment: commitment, attestationDigest: Keccak256.hash([3]), attestationExpiry: 1_950_000_000)
        job.signature = [UInt8](repeating: 0x11, count: 64) + [27]
        return job
    }

    @Test func aVerificationGoesToTheArbiterWithTheResultUnderVerification() throws {
        let job = try Self.duty(.verifier)
        #expect(encoder.contract(for: .verifier) == Self.arbiter)
        #expect(encoder.contract(for: .executor) == Self.core)
        #expect(!encoder.canBatch(job))
        #expect(encoder.value(for: [job]) == .zero)
        let call = try ArbiterContract.verify.decodeCall(try encoder.calldata(for: [job]))
        let fulfilment = try call[1].asElements()
        #expect(try fulfilment[0].asBytes32() == Self.fulfilment.commitment)
        #expect(try fulfilment[1].asUInt() == 40)
        #expect(try fulfilment[3].asUInt() == 1, "state FULFILLED")
        #expect(try fulfilment[5].asUInt() == 0, "the executor's posted status")
        #expect(try fulfilment[6].asUInt() == 3, "the parameter set the result was fulfilled under")
        #expect(try call[3].asUInt() == 5, "this node as the verifier")
        #expect(try call[4].asElements()[2].asBytes32() == Keccak256.hash([2]))
        #expect(throws: EncodingProblem.dutiesAreSentAlone) { try encoder.calldata(for: [job, job]) }
    }

    @Test func aVoteNamesTheSeat() throws {
        let call = try ArbiterContract.vote.decodeCall(try encoder.calldata(for: [try Self.duty(.juror, seat: 2)]))
        #expect(try call[1].asUInt() == 2)
        #expect(throws: EncodingProblem.self) { try encoder.calldata(for: [try Self.duty(.juror)]) }
    }

    @Test func aChallengeCarriesTheBondAndIsSentOnlyWhenTheResultsDiffer() throws {
        let differing = try Self.duty(.challenger, bond: UInt256(100_000_000_000_000_000))
        #expect(encoder.needsTransaction(differing))
        #expect(encoder.value(for: [differing]) == UInt256(100_000_000_000_000_000))
        let call = try ArbiterContract.challenge.decodeCall(try encoder.calldata(for: [differing]))
        #expect(try call[2].asUInt() == 5)
        // the bond of the result's own parameter set, as the scanner recorded it
        #expect(encoder.value(for: [try Self.duty(.challenger, bond: UInt256(300_000_000_000_000_000))]) == UInt256(300_000_000_000_000_000))
        #expect(encoder.value(for: [try Self.duty(.verifier, bond: UInt256(300_000_000_000_000_000))]) == .zero)
        let agreeing = try Self.duty(.challenger, commitment: Self.fulfilment.commitment)
        #expect(!encoder.needsTransaction(agreeing))
        #expect(encoder.needsTransaction(try Self.duty(.verifier, commitment: Self.fulfilment.commitment)), "an agreeing verification confirms the result")
    }

    @Test func aVerifierOrJurorThatCannotOpenItsWrapStillPostsStatusThree() throws {
        // Its own wrap of an encrypted request did not open: the signed status-3 result is an abstention
        // the arbiter never slashes; silence would be.
        let verifier = try Self.duty(.verifier, errorCode: 3, recipients: [2, 5])
        #expect(encoder.needsTransaction(verifier))
        let verify = try ArbiterContract.verify.decodeCall(try encoder.calldata(for: [verifier]))
        #expect(try verify[4].asElements()[0].asUInt() == 3, "status 3 in the verify call")
        let juror = try Self.duty(.juror, seat: 1, errorCode: 3, recipients: [2, 5])
        #expect(encoder.needsTransaction(juror))
        let vote = try ArbiterContract.vote.decodeCall(try encoder.calldata(for: [juror]))
        #expect(try vote[2].asElements()[0].asUInt() == 3, "status 3 in the vote")
        // A challenge is voluntary: a node that could not open the envelope does not challenge.
        #expect(!encoder.needsTransaction(try Self.duty(.challenger, errorCode: 3, recipients: [2, 5])))
        // A plaintext request has no wrap: a status-3 re-execution that differs is a real disagreement.
        #expect(encoder.needsTransaction(try Self.duty(.challenger, errorCode: 3)))
    }

    @Test func aDecryptionFailureOfAnEncryptedRequestIsNeverADutyForOtherNodes() throws {
        let encrypted = try PendingRequest(stored: try Self.duty(.verifier, recipients: [2, 5]).request)
        let plaintext = try PendingRequest(stored: try Self.duty(.verifier).request)
        var failed = Self.fulfilment
        failed.status = 3
        #expect(failed.isDecryptionFailure(of: encrypted))
        #expect(!failed.isDecryptionFailure(of: plaintext))
        #expect(!Self.fulfilment.isDecryptionFailure(of: encrypted))
        failed.status = 1
        #expect(!failed.isDecryptionFailure(of: encrypted), "only status 3")
    }

    @Test func aContextStoredBeforeTheStatusFieldDecodesWithStatusZero() throws {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(DutyContext(fulfilment: Self.fulfilment).encoded())) as? [String: Any])
        var fulfilment = try #require(object["fulfilment"] as? [String: Any])
        #expect(fulfilment.removeValue(forKey: "status") != nil)
        object["fulfilment"] = fulfilment
        let legacy = Array(try JSONSerialization.data(withJSONObject: object))
        #expect(try DutyContext(decoding: legacy).fulfilment == Self.fulfilment)
        // stored before results carried their parameter set: the deployment's (1)
        fulfilment.removeValue(forKey: "paramsVersion")
        object["fulfilment"] = fulfilment
        var older = Self.fulfilment
        older.paramsVersion = 1
        #expect(try DutyContext(decoding: Array(try JSONSerialization.data(withJSONObject: object))).fulfilment == older)
    }

    @Test func theContextSurvivesTheStore() throws {
        let context = DutyContext(fulfilment: Self.fulfilment, seat: 1)
        #expect(try DutyContext(decoding: context.encoded()) == context)
        #expect(context.encoded() == DutyContext(fulfilment: Self.fulfilment, seat: 1).encoded(), "equal values, equal bytes")
    }

    @Test func samplingAndChallengePicksAreBasisPointsOfAHash() {
        let id = Keccak256.hash([7]), block = Keccak256.hash([8])
        #expect(DutyScanner.mightBeSampled(id: id, fulfilledBlockHash: block, verifyBps: 10_000))
        #expect(!DutyScanner.mightBeSampled(id: id, fulfilledBlockHash: block, verifyBps: 0))
        let bps = DutyScanner.basisPoints(of: Keccak256.hash(block.bytes + id.bytes))
        #expect(DutyScanner.mightBeSampled(id: id, fulfilledBlockHash: block, verifyBps: bps + 1))
        #expect(!DutyScanner.mightBeSampled(id: id, fulfilledBlockHash: block, verifyBps: bps))
        #expect(!DutyScanner.challengePolicyPicks(id: id, nodeID: 5, shareBps: 0))
        #expect(DutyScanner.challengePolicyPicks(id: id, nodeID: 5, shareBps: 10_000))
        // 0x…2710 is 10000: its remainder is 0; 0x…270F is 9999.
        #expect(DutyScanner.basisPoints(of: UInt256(10_000).bytes32) == 0)
        #expect(DutyScanner.basisPoints(of: UInt256(29_999).bytes32) == 9_999)
    }

    @Test func aDisputeViewReadsJurorsVotesAndDeadlines() throws {
        let tuple = ABIValue.tuple([
            .bytes32(.zero), .bytes32(.zero), .bytes32(.zero), .uint(2), .bytes32(Keccak256.hash([1])), .uint(3), .bytes32(Keccak256.hash([2])),
            .uint(0), .uint(41), .uint(1_900_000_500), .uint(1), .array([.uint(4), .uint(0), .uint(6)]),
            .array([.bytes32(Keccak256.hash([2])), .bytes32(.zero), .bytes32(.zero)]), .bytes32(.zero), .bool(false), .uint(2)
        ])
        let view = try DisputeView(returnData: ABI.encode([tuple]))
        #expect(view.openedBlock == 41)
        #expect(view.deadline == 1_900_000_500)
        #expect(view.rounds == 1)
        #expect(view.absentSeats == [2], "seat 1 was emptied, seat 0 voted")
        #expect(!view.resolved)
        #expect(view.challenger == 3)
        #expect(view.bond == .zero)
    }

    @Test func aCorrectedOutputIsDeliveredWithTheResultSignedForTheRoleThatWasPlayed() throws {
        func view(challenger: UInt64, bond: UInt64) throws -> DisputeView {
            try DisputeView(
                returnData: ABI.encode([
                    .tuple([
                        .bytes32(.zero), .bytes32(.zero), .bytes32(.zero), .uint(2), .bytes32(Keccak256.hash([1])), .uint(UInt256(challenger)),
                        .bytes32(Keccak256.hash([2])), .uint(UInt256(bond)), .uint(41), .uint(1_900_000_500), .uint(0), .array([.uint(4), .uint(6)]),
                        .array([.bytes32(Keccak256.hash([2])), .bytes32(Keccak256.hash([2]))]), .bytes32(Keccak256.hash([2])), .bool(true), .uint(1)
                    ])
                ]))
        }
        #expect(try view(challenger: 5, bond: 0).deliveringRole(of: 5) == .verifier, "a sampled verifier opened it")
        #expect(try view(challenger: 5, bond: 1_000).deliveringRole(of: 5) == .challenger, "a bonded challenge")
        #expect(try view(challenger: 5, bond: 1_000).deliveringRole(of: 4) == .juror)
        #expect(try view(challenger: 5, bond: 0).deliveringRole(of: 6) == .juror)
    }
}
