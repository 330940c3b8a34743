import Ethereum
import Testing
@testable import Inference

/// A requester decodes what the engine encodes, and nothing else.
@Suite struct TaskOutputDecodingTests {
    @Test func decodingInvertsEncodingForEveryTask() throws {
        let outputs: [(InferenceTask, TaskOutput)] = [
            (.embed, .embedding((0..<384).map { Int8(truncatingIfNeeded: $0 * 7 - 128) })),
            (.similarity, .similarity(-412_345)),
            (.classify, .classification(best: 2, scores: [-5, 17, 999_999]))
        ]
        for (task, output) in outputs {
            #expect(try TaskOutput(task: task, abiEncoded: output.abiEncoded) == output)
        }
    }

    @Test func malformedOutputsAreRefused() {
        let classify = TaskOutput.classification(best: 1, scores: [3, 4]).abiEncoded
        let outOfRangeBest = ABI.encode([.uint(5), .array([.int(Int256(1)), .int(Int256(2))])])
        let hugeScore = ABI.encode([.int(Int256(Int64(Int32.max) + 1))])
        #expect(throws: InferenceError.self) { try TaskOutput(task: .classify, abiEncoded: Array(classify.dropLast(1))) }
        #expect(throws: InferenceError.self) { try TaskOutput(task: .classify, abiEncoded: outOfRangeBest) }
        #expect(throws: InferenceError.self) { try TaskOutput(task: .similarity, abiEncoded: hugeScore) }
        #expect(throws: InferenceError.self) { try TaskOutput(task: .embed, abiEncoded: ABI.encode([.int(Int256(1))])) }
    }
}
