import TestSupport
import Foundation
import Testing
import Ethereum

/// Hostile input for every decoder this module owns: random bytes and mutations of the fixture
/// vectors. Each decoder must return a typed error or a value, never crash or hang, and whatever it
/// accepts must re-encode to exactly the input (canonical decoding). Seeded: a failure names its input.
@Suite(.timeLimit(.minutes(2))) struct FuzzDecoderTests {
    static let rlpIterations = 60_000
    static let transactionIterations = 40_000
    static let keystoreIterations = 6_000

    /// Small limits so that mutated files which still parse never start an expensive derivation.
    static let fuzzLimits = KeystoreLimits(maximumScryptMemory: 1 << 20, maximumScryptWork: 1 << 14, maximumPBKDF2Iterations: 2_000)

    static func corpus<T: Decodable>(_ type: T.Type, _ path: String, _ extract: (T) throws -> [[UInt8]]) throws -> [[UInt8]] {
        try extract(Fixtures.load(T.self, path))
    }

    @Test func rlpDecoderSurvivesMutations() throws {
        let seeds = try Self.corpus(RLPTests.Vectors.self, "ethereum/rlp.json") { vectors in
            try vectors.valid.map { try Hex.decode($0.hex) }.filter { $0.count < 4096 }
        }
        var mutator = FuzzMutator(generator: SplitMix64(seed: 0xF0CC_0001))
        var accepted = 0
        for index in 0..<Self.rlpIterations {
            let input =
                index % 10 == 0
                ? mutator.randomBytes(maxCount: 64)
                : mutator.mutate(seeds[index % seeds.count])
            if let item = try? RLP.decode(input) {
                accepted += 1
                #expect(item.encoded == input, "seed 0xF0CC0001 case \(index): \(Hex.encode(input.prefix(64)))")
            }
        }
        #expect(accepted > 1000)
    }

    @Test func transactionDecoderSurvivesMutations() throws {
        let seeds = try Self.corpus(TransactionFixtureTests.Vectors.self, "ethereum/transactions.json") { vectors in
            try vectors.cases.map { try Hex.decode($0.raw) }.filter { $0.count < 1024 }
        }
        var mutator = FuzzMutator(generator: SplitMix64(seed: 0xF0CC_0002))
        var accepted = 0
        for index in 0..<Self.transactionIterations {
            let input =
                index % 10 == 0
                ? [UInt8.random(in: 0...3, using: &mutator.generator)] + mutator.randomBytes(maxCount: 64)
                : mutator.mutate(seeds[index % seeds.count])
            if let transaction = try? SignedTransaction(rawBytes: input) {
                accepted += 1
                #expect(transaction.rawBytes == input, "seed 0xF0CC0002 case \(index): \(Hex.encode(input.prefix(64)))")
                // A mutated body keeps a valid signature, so recovery yields some address or a typed error.
                if index % 16 == 0 { _ = try? transaction.recoverSender() }
            }
        }
        #expect(accepted > 100)
    }

    @Test func keystoreParserSurvivesMutations() throws {
        let folder = Fixtures.root.appendingPathComponent("ethereum/keystores")
        let seeds = try KeystoreFixtureTests.index.get().files.map {
            Array(try Data(contentsOf: folder.appendingPathComponent($0.file)))
        }
        var mutator = FuzzMutator(generator: SplitMix64(seed: 0xF0CC_0003))
        var parsed = 0
        for index in 0..<Self.keystoreIterations {
            let input =
                index % 10 == 0
                ? mutator.randomBytes(maxCount: 64)
                : mutator.mutate(seeds[index % seeds.count])
            guard let keystore = try? Keystore(json: input) else { continue }
            parsed += 1
            #expect(try Keystore(json: keystore.jsonData()) == keystore, "seed 0xF0CC0003 case \(index)")
            _ = try? keystore.decrypt(password: Array("fuzz".utf8), limits: Self.fuzzLimits)
        }
        #expect(parsed > 100)
    }
}
