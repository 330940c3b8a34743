import TestSupport
import Ethereum
import Testing
@testable import ChainClient

/// Feeds mutated answers to the envelope checks and every result decoder: each one either decodes
/// to a value that still answers the question asked, or throws a typed error. No crash, no trap.
struct ResponseFuzzTests {
    /// A seed answer and the check that a decoded value must pass.
    private struct Seed {
        let result: String
        let decode: (JSONFieldReader) throws(InvalidResponse) -> Bool
    }

    private static func seeds() throws -> [Seed] {
        let askedBlock = RPCMethod<BlockHeader?>.getBlock(.number(16))
        let receiptHash = try Bytes32(hex: SampleResults.hashC)
        let askedReceipt = RPCMethod<TransactionReceipt?>.getTransactionReceipt(receiptHash)
        let askedTransaction = RPCMethod<TransactionDetails?>.getTransactionByHash(receiptHash)
        let logFilter = LogFilter(
            addresses: [try Address(hex: SampleResults.address)],
            range: .blockHash(try Bytes32(hex: SampleResults.hashA)))
        let askedLogs = RPCMethod<[Log]>.getLogs(logFilter)
        let askedFees = RPCMethod<FeeHistory>.feeHistory(blockCount: 2, newest: .latest, percentiles: [10, 90])
        return [
            Seed(result: SampleResults.block(number: 16)) { reader throws(InvalidResponse) in
                try askedBlock.decode(reader).map { $0.number == 16 } ?? true
            },
            Seed(result: SampleResults.receipt()) { reader throws(InvalidResponse) in
                try askedReceipt.decode(reader).map { $0.transactionHash == receiptHash } ?? true
            },
            Seed(result: SampleResults.transaction) { reader throws(InvalidResponse) in
                try askedTransaction.decode(reader).map { $0.hash == receiptHash } ?? true
            },
            Seed(result: "[\(SampleResults.log()),\(SampleResults.log())]") { reader throws(InvalidResponse) in
                try askedLogs.decode(reader).allSatisfy { $0.blockHash == (try? Bytes32(hex: SampleResults.hashA)) }
            },
            Seed(result: SampleResults.feeHistory) { reader throws(InvalidResponse) in
                let history = try askedFees.decode(reader)
                return history.baseFeePerGas.count == history.gasUsedRatio.count + 1
                    && history.reward.allSatisfy { $0.count == 2 }
            }
        ]
    }

    @Test func tenThousandMutatedAnswers() throws {
        let seeds = try Self.seeds()
        var mutator = JSONMutator(random: SplitMix64(seed: 0xC1A1_2026))
        var decoded = 0
        var refused = 0
        for round in 0..<10_000 {
            let seed = seeds[round % seeds.count]
            let body = mutator.mutate(Array(#"{"jsonrpc":"2.0","id":7,"result":\#(seed.result)}"#.utf8))
            do {
                let json = try ExactJSON.parse(body)
                switch try RPCEnvelope.answer(json, id: 7) {
                case .success(let result):
                    let consistent = try seed.decode(JSONFieldReader(result, path: "result"))
                    #expect(consistent, "round \(round) decoded an inconsistent value")
                    decoded += 1
                case .failure:
                    refused += 1
                }
            } catch {
                refused += 1
            }
        }
        #expect(decoded + refused == 10_000)
        // The mutations must actually bite, and some must survive (e.g. a changed hex digit).
        #expect(refused > 5_000 && decoded > 100)
    }

    @Test func mutatedBatchAnswersNeverCrash() throws {
        var mutator = JSONMutator(random: SplitMix64(seed: 42))
        let batch = Array(#"[{"jsonrpc":"2.0","id":2,"result":"0x1"},{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"nonce too low"}}]"#.utf8)
        var accepted = 0
        for _ in 0..<2_000 {
            guard let json = try? ExactJSON.parse(mutator.mutate(batch)) else { continue }
            if case .answers(let answers)? = try? RPCEnvelope.batchAnswer(json, ids: [1, 2]) {
                #expect(answers.count == 2)
                accepted += 1
            }
        }
        #expect(accepted < 2_000)
    }
}
