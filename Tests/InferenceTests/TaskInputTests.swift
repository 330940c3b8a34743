import Testing
import Ethereum
@testable import Inference

/// Bad requests get typed errors before any work; canonical inputs and outputs round-trip.
@Suite struct TaskInputTests {
    @Test func unknownTaskNamesAreRejected() {
        #expect(throws: InferenceError.unknownTask("summarize")) { try InferenceTask(name: "summarize") }
        #expect(throws: InferenceError.unknownTask("")) { try InferenceTask(name: "") }
    }

    @Test(arguments: ["", "   ", "\u{200B}\t\n", "\u{0000}\u{FFFD}"])
    func textsWithoutAnyTokenAreEmpty(text: String) {
        #expect(throws: InferenceError.emptyInput) { try TestModel.engine.run(.embed(text: text)) }
        #expect(throws: InferenceError.emptyInput) { try TestModel.engine.run(.similarity(text: "fine", other: text)) }
        #expect(throws: InferenceError.emptyInput) { try TestModel.engine.run(.classify(text: "fine", labels: ["ok", text])) }
    }

    @Test func oversizedTextIsRefusedWithItsSizeButNotItsContent() {
        let text = String(repeating: "secret ", count: 3000)
        #expect(throws: InferenceError.inputTooLarge(bytes: 21000, limit: 16384)) { try TestModel.engine.run(.embed(text: text)) }
        let message = InferenceError.inputTooLarge(bytes: 21000, limit: 16384).description
        #expect(!message.contains("secret"))
    }

    @Test func labelListsMustBeNonEmptyBoundedAndDistinct() {
        #expect(throws: InferenceError.self) { try TestModel.engine.run(.classify(text: "x y", labels: [])) }
        #expect(throws: InferenceError.self) { try TestModel.engine.run(.classify(text: "x y", labels: ["a", "b", "a"])) }
        let many = (0..<65).map { "label \($0)" }
        #expect(throws: InferenceError.self) { try TestModel.engine.run(.classify(text: "x y", labels: many)) }
    }

    @Test(arguments: [
        TaskInput.embed(text: "héllo"),
        .similarity(text: "a", other: "b c"),
        .classify(text: "the match", labels: ["sports", "politics", "北京"])
    ])
    func inputsRoundTripThroughTheirABIEncoding(input: TaskInput) throws {
        #expect(try TaskInput(task: input.task, abiEncoded: input.abiEncoded) == input)
    }

    @Test func malformedABIInputIsATypedError() {
        let hostile: [[UInt8]] = [[], [0x01], Array(repeating: 0xFF, count: 64), Array(repeating: 0, count: 31) + [0x20]]
        for bytes in hostile {
            for task in InferenceTask.allCases {
                #expect(throws: InferenceError.self) { try TaskInput(task: task, abiEncoded: bytes) }
            }
        }
    }

    @Test func outputsHaveTheDocumentedABILayout() throws {
        guard case .embedding(let vector) = try TestModel.engine.run(.embed(text: "layout")) else {
            Issue.record("embed returned another output kind")
            return
        }
        let embedding = TaskOutput.embedding(vector).abiEncoded
        #expect(embedding.count == 32 + 32 + 384, "abi.encode(bytes) of 384 bytes: inside the contract's 4,096-byte output cap")
        let decoded = try ABI.decode([.bytes], from: embedding)[0].asBytes()
        #expect(decoded == vector.map { UInt8(bitPattern: $0) })
        let classification = TaskOutput.classification(best: 1, scores: [-5, 7]).abiEncoded
        let values = try ABI.decode([.uint(bits: 256), .array(.int(bits: 256))], from: classification)
        #expect(values == [.uint(1), .array([.int(-5), .int(7)])])
        #expect(try ABI.decode([.int(bits: 256)], from: TaskOutput.similarity(-123).abiEncoded) == [.int(-123)])
    }
}
