import CloisterClient
import Ethereum
import Oracle
import Testing
@testable import CloisterNode

/// When the keeper reports a sampled verifier that did not verify (`Arbiter.reportSilence`): only a result
/// still awaiting verification, only after its verification window, and only while the arbiter can still
/// compute the sample (blockhash of the fulfilment block, 256 blocks).
@Suite struct SilenceReportTests {
    static func record(state: Fulfilment.State, block: UInt64 = 1_000, parts: Set<JobRole> = []) throws -> ResultRecord {
        let log = try ContractBindingTests.requestedLog(node: 2, input: Array("hello".utf8))
        return ResultRecord(
            request: PendingRequest.stored(topics: log.topics, data: log.data), executor: 2,
            fulfilment: Fulfilment(commitment: Keccak256.hash([1]), block: block, fulfilledAt: 1_900_000_000, state: state, verifier: .zero, status: 0, paramsVersion: 1),
            parts: parts)
    }

    @Test func dueOnlyBetweenTheEndOfTheVerifyWindowAndTheBlockhashHorizon() throws {
        let watched = try Self.record(state: .fulfilled)
        #expect(!SilenceReport.due(watched, head: 1_150, verifyWindowBlocks: 150), "the last block of the window: the verifier may still come")
        #expect(SilenceReport.due(watched, head: 1_151, verifyWindowBlocks: 150))
        #expect(SilenceReport.due(watched, head: 1_255, verifyWindowBlocks: 150), "the report lands in block 1,256, the last with the blockhash")
        #expect(!SilenceReport.due(watched, head: 1_256, verifyWindowBlocks: 150), "the report would land where the sample is no longer known")
        #expect(!SilenceReport.due(watched, head: 5_000, verifyWindowBlocks: 150))
    }

    @Test func neverForAResultThatWasVerifiedOrDisputed() throws {
        for state in [Fulfilment.State.verified, .disputed, .upheld, .overturned] {
            #expect(!SilenceReport.due(try Self.record(state: state, parts: [.executor]), head: 1_200, verifyWindowBlocks: 150), "\(state)")
        }
        #expect(
            SilenceReport.due(try Self.record(state: .fulfilled, parts: [.executor]), head: 1_200, verifyWindowBlocks: 150),
            "the executor reports the silent verifier of its own result too")
    }

    @Test func theReportIsRememberedPerResult() async {
        let done = SilenceReport.Done()
        let first = Keccak256.hash([1]), second = Keccak256.hash([2])
        #expect(await !done.settled(first))
        await done.settle(first)
        #expect(await done.settled(first))
        #expect(await !done.settled(second))
    }

    @Test func theCallIsTheCompiledReportSilence() throws {
        let compiled = try ContractBindingTests.compiled("reportSilence", in: "arbiter_abi.json")
        #expect(ArbiterContract.reportSilence.canonicalSignature == compiled.signature)
        let record = try Self.record(state: .fulfilled)
        let request = try record.pendingRequest()
        let data = try ArbiterContract.reportSilence.encodeCall([request.requestTuple, record.fulfilment.tuple, .array([])])
        #expect(Array(data.prefix(4)) == Array(Keccak256.hash(Array(compiled.signature.utf8)).bytes.prefix(4)))
        #expect((data.count - 4) % 32 == 0 && data.count - 4 == 32 * (10 + 7 + 1 + 1), "request, fulfilment (seven words), offset, empty array")
    }
}
