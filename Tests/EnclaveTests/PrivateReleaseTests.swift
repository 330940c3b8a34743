import Enclave
import Ethereum
import Inference
import Testing

/// The private release of MiniLM outputs (`docs/privacy.md`): known answers, reproducibility, decoding,
/// refusals. `tests/privacy/test_dp_cli.py` recomputes the same draws in Python from the specification.
@Suite struct PrivateReleaseTests {
    static let keyBytes: [UInt8] = Array(0..<32)
    static let requestID = try! Bytes32(hex: "0x" + String(repeating: "11", count: 32))
    static let inputHash = try! Bytes32(hex: "0x" + String(repeating: "22", count: 32))
    static let laplace = PrivacyPolicy(
        mechanism: .laplace, epsilonMicros: 500_000,
        sensitivities: .init(embedding: 3, similarity: 3, classification: 3))
    static let gaussian = PrivacyPolicy(
        mechanism: .gaussian(deltaExponent: 9), epsilonMicros: 500_000,
        sensitivities: .init(embedding: 3, similarity: 3, classification: 3))

    let key: ModelKey

    init() throws {
        key = try ModelKey(bytes: Self.keyBytes)
    }

    func release(
        _ output: TaskOutput, _ policy: PrivacyPolicy, requestID: Bytes32 = requestID, inputHash: Bytes32 = inputHash,
        key: ModelKey? = nil
    ) throws -> TaskOutput {
        let bytes = try PrivateRelease.noisedOutput(
            output.abiEncoded, task: output.task, policy: policy,
            modelKey: key ?? self.key, requestID: requestID, inputHash: inputHash)
        return try TaskOutput(task: output.task, abiEncoded: bytes)
    }

    /// Ten labels scored 0: the released scores are coordinate 0…9's draws themselves.
    static let zeros = TaskOutput.classification(best: 0, scores: Array(repeating: 0, count: 10))
    static let embedding = TaskOutput.embedding((0..<384).map { Int8(truncatingIfNeeded: ($0 * 37) % 255 - 127) })

    // Known answers, computed once with this implementation and reproduced independently by
    // tests/privacy/dp_reference.py (test_known_answers_match_the_swift_tests).
    @Test func laplaceDrawsAreTheKnownAnswers() throws {
        #expect(try release(Self.zeros, Self.laplace) == .classification(best: 0, scores: [5, -8, 0, 2, -10, -20, -3, -6, 1, 1]))
    }

    @Test func gaussianDrawsAreTheKnownAnswers() throws {
        #expect(try release(Self.zeros, Self.gaussian) == .classification(best: 1, scores: [-2, 49, -84, 20, -46, 7, 33, -12, 36, 13]))
    }

    @Test(arguments: [("laplace", laplace), ("gaussian", gaussian)])
    func releasedBytesAreTheKnownAnswers(name: String, policy: PrivacyPolicy) throws {
        var hashes: [String] = []
        for output in [Self.embedding, .similarity(123_456), .classification(best: 1, scores: [-250_000, 999_990, 999_999])] {
            let bytes = try PrivateRelease.noisedOutput(
                output.abiEncoded, task: output.task, policy: policy,
                modelKey: key, requestID: Self.requestID, inputHash: Self.inputHash)
            hashes.append(Keccak256.hash(bytes).hex)
        }
        #expect(hashes == Self.knownHashes[name])
    }

    static let knownHashes: [String: [String]] = [
        "laplace": [
            "0x7e6c48a7f59afe6728002804aa49a239d6499d7f512dd21b3b80e0d356095a2b",
            "0xe4cf31eeecccd8eb81a62479815f04a50a1947adeaff277f2a084f2846238b7d",
            "0x71095d2c44aed30c8bb9ab74d958b2b0258edc406852c2f8e874c33404c5865d"
        ],
        "gaussian": [
            "0xbd6e07ace1ec8224a8f4d5c60a2bf266e91da085033f78cbf12b5e32fa3e6b2c",
            "0x717b5733bb28cb68fdede67e2844703427eef866928af58d68a09262592d5c4f",
            "0xbd55dd3611ed99bb553b902d85fc789f48e8e27edb8caa3f52b0a2aa4fee7efd"
        ]
    ]

    @Test func sameKeyAndRequestGiveTheSameBytes() throws {
        let again = try ModelKey(bytes: Self.keyBytes)
        for policy in [Self.laplace, Self.gaussian] {
            #expect(try release(Self.embedding, policy) == release(Self.embedding, policy, key: again))
        }
    }

    @Test func anotherKeyRequestOrInputGivesOtherNoise() throws {
        let other = try ModelKey(bytes: Array(repeating: 0x5a, count: 32))
        let first = try release(Self.embedding, Self.laplace)
        #expect(try release(Self.embedding, Self.laplace, key: other) != first)
        #expect(try release(Self.embedding, Self.laplace, requestID: Keccak256.hash([1])) != first)
        #expect(try release(Self.embedding, Self.laplace, inputHash: Keccak256.hash([1])) != first)
    }

    /// Nothing in the release runs on more than one thread; releases running side by side (structured
    /// concurrency, two at a time) give the bytes each gives alone.
    @Test func concurrentReleasesGiveTheBytesEachGivesAlone() async throws {
        let alone = try (0..<4).map { try release(Self.embedding, Self.gaussian, requestID: Keccak256.hash([UInt8($0)])) }
        let key = self.key
        let together = try await withThrowingTaskGroup(of: (Int, [UInt8]).self) { group in
            for index in 0..<4 {
                group.addTask {
                    (
                        index,
                        try PrivateRelease.noisedOutput(
                            Self.embedding.abiEncoded, task: .embed, policy: Self.gaussian,
                            modelKey: key, requestID: Keccak256.hash([UInt8(index)]),
                            inputHash: Self.inputHash)
                    )
                }
            }
            var results = [[UInt8]](repeating: [], count: 4)
            for try await (index, bytes) in group { results[index] = bytes }
            return results
        }
        #expect(together.map { try? TaskOutput(task: .embed, abiEncoded: $0) } == alone)
    }

    @Test func noisyOutputsStillDecodeWithinTheirRanges() throws {
        // ε = 0.001 with the largest sensitivity: noise far beyond the range, so clamping is exercised.
        let loud = PrivacyPolicy(
            mechanism: .laplace, epsilonMicros: 1_000,
            sensitivities: .init(embedding: 1 << 27, similarity: 1 << 27, classification: 1 << 27))
        for policy in [Self.laplace, Self.gaussian, loud] {
            for index in 0..<8 {
                let id = Keccak256.hash([UInt8(index)])
                guard case .embedding(let values) = try release(Self.embedding, policy, requestID: id) else { Issue.record("not an embedding"); continue }
                #expect(values.count == 384 && values.allSatisfy { (-127...127).contains($0) })
                guard case .similarity(let score) = try release(.similarity(999_999), policy, requestID: id) else { Issue.record("not a score"); continue }
                #expect((-1_000_000...1_000_000).contains(score))
                guard case .classification(let best, let scores) = try release(.classification(best: 0, scores: [5, 4, 3]), policy, requestID: id) else {
                    Issue.record("not a classification"); continue
                }
                #expect(scores.count == 3 && scores.allSatisfy { (-1_000_000...1_000_000).contains($0) })
                #expect(best == scores.firstIndex(of: scores.max()!))
            }
        }
        guard case .similarity(let score) = try release(.similarity(0), loud) else { return }
        #expect(abs(score) == 1_000_000)
    }

    @Test(arguments: [
        (PrivacyPolicy(mechanism: .laplace, epsilonMicros: 999, sensitivities: .init(similarity: 1)), PrivacyError.epsilonOutOfRange(micros: 999)),
        (PrivacyPolicy(mechanism: .laplace, epsilonMicros: 50_000_001, sensitivities: .init(similarity: 1)), .epsilonOutOfRange(micros: 50_000_001)),
        (PrivacyPolicy(mechanism: .gaussian(deltaExponent: 0), epsilonMicros: 1_000_000, sensitivities: .init(similarity: 1)), .deltaOutOfRange(exponent: 0)),
        (PrivacyPolicy(mechanism: .gaussian(deltaExponent: 41), epsilonMicros: 1_000_000, sensitivities: .init(similarity: 1)), .deltaOutOfRange(exponent: 41)),
        (PrivacyPolicy(mechanism: .laplace, epsilonMicros: 1_000_000, sensitivities: .init(similarity: 0)), .sensitivityOutOfRange(task: .similarity, value: 0)),
        (
            PrivacyPolicy(mechanism: .laplace, epsilonMicros: 1_000_000, sensitivities: .init(embedding: (1 << 27) + 1, similarity: 1)),
            .sensitivityOutOfRange(task: .embed, value: (1 << 27) + 1)
        ),
        (PrivacyPolicy(mechanism: .laplace, epsilonMicros: 1_000_000, sensitivities: .init()), .noOutputReleased),
        (PrivacyPolicy(mechanism: .laplace, epsilonMicros: 1_000_000, sensitivities: .init(embedding: 10)), .taskNotReleased(.similarity))
    ])
    func badPoliciesAreRefused(policy: PrivacyPolicy, error: PrivacyError) throws {
        #expect(throws: error) { try release(.similarity(10), policy) }
        #expect(error.description.hasPrefix("privacy policy: "))
    }

    @Test func errorMessagesNameTheFieldAndItsRange() {
        #expect(PrivacyError.epsilonOutOfRange(micros: 999).description == "privacy policy: epsilon_micros 999 is outside 1000...50000000 (ε from 0.001 to 50)")
        #expect(PrivacyError.deltaOutOfRange(exponent: 41).description == "privacy policy: delta exponent 41 is outside 1...40 (δ = 10^-exponent)")
        #expect(PrivacyError.taskNotReleased(.embed).description == "privacy policy: no sensitivity is set for embed outputs")
    }

    @Test func malformedOutputsAreRefused() throws {
        let similarity = TaskOutput.similarity(5).abiEncoded
        for (bytes, task) in [
            (similarity + [0], InferenceTask.similarity), (similarity, .embed), (similarity, .classify),
            (TaskOutput.embedding([1, 2]).abiEncoded, .embed), ([], .similarity)
        ] {
            #expect(throws: PrivacyError.malformedOutput(task)) {
                try PrivateRelease.noisedOutput(bytes, task: task, policy: Self.laplace, modelKey: key, requestID: Self.requestID, inputHash: Self.inputHash)
            }
        }
    }

    @Test func theKeyIsNeverPrinted() throws {
        let hex = Hex.encode(Self.keyBytes, prefix: false)
        #expect(String(describing: key) == "ModelKey(redacted)")
        #expect(String(reflecting: key) == "ModelKey(redacted)")
        #expect(!"\(key)".contains(hex))
        #expect(throws: ModelKeyError.wrongLength(31)) { try ModelKey(bytes: Self.keyBytes.dropLast()) }
        #expect(ModelKeyError.wrongLength(31).description == "a model key is 32 bytes, not 31")
        key.withUnsafeBytes { #expect(Array($0) == Self.keyBytes) }
    }
}
