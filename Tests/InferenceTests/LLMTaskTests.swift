import Ethereum
import Foundation
import Testing
@testable import Inference

/// The embedded LLM as the node serves it: the tasks' canonical bytes, what a model id commits to, the
/// pinned file, and the same output bytes however requests arrive.
@Suite struct LLMTaskTests {
    static let llm: EmbeddedLLM = {
        do { return try EmbeddedLLM(file: TestLLM.file) } catch { fatalError("cannot load the LLM: \(error)") }
    }()

    @Test func inputsRoundTripThroughTheirCanonicalEncoding() throws {
        let inputs: [LLMTaskInput] = [
            .generate(prompt: "Name a colour.", maxTokens: 7, stop: ["\n", "é"]),
            .generate(prompt: "x", maxTokens: 1, stop: []),
            .score(prompt: "Yes or no?", completions: ["yes", "no", "maybe, 🙂"])
        ]
        for input in inputs {
            #expect(try LLMTaskInput(task: input.task, abiEncoded: input.abiEncoded) == input)
        }
        // Built independently from the ABI types the docs give.
        let manual = ABI.encode([.string("Name a colour."), .uint(7), .array([.string("\n"), .string("é")])])
        #expect(inputs[0].abiEncoded == manual)
        // A maxTokens beyond any Int decodes to a value the engine refuses, never a trap.
        let huge = ABI.encode([.string("p"), .uint(UInt256.max), .array([])])
        #expect(try LLMTaskInput(task: .generate, abiEncoded: huge) == .generate(prompt: "p", maxTokens: Int.max, stop: []))
        #expect(throws: LLMError.invalidMaxTokens(Int.max, limit: 256)) { try Self.llm.run(try LLMTaskInput(task: .generate, abiEncoded: huge)) }
        for garbage in [[UInt8](), [1, 2, 3], inputs[2].abiEncoded] {
            #expect(throws: LLMError.self) { try LLMTaskInput(task: .generate, abiEncoded: garbage) }
        }
    }

    @Test func outputsDecodeToWhatWasEncodedAndGarbageIsRefused() throws {
        let outputs: [(LLMTask, LLMTaskOutput)] = [
            (.generate, .generation(text: "Blue, like the sea.", tokens: 6, finished: true)),
            (.score, .scores(best: 1, scores: [-3_100_000, -1_200_000]))
        ]
        for (task, output) in outputs {
            #expect(try LLMTaskOutput(task: task, abiEncoded: output.abiEncoded) == output)
            #expect(output.hash == Keccak256.hash(output.abiEncoded))
        }
        #expect(throws: LLMError.self) { try LLMTaskOutput(task: .score, abiEncoded: ABI.encode([.uint(5), .array([.int(1)])])) }
        #expect(throws: LLMError.self) { try LLMTaskOutput(task: .generate, abiEncoded: [0xFF]) }
    }

    @Test func aModelIdCommitsToTheFileTheEngineTheTaskAndTheLimits() {
        let base = LLMIdentity.smolLM2
        var changed: [LLMIdentity] = []
        var other = base; other.ggufSHA256 = Keccak256.hash([1]); changed.append(other)
        other = base; other.engineVersion = "cloister-llama-q8/2"; changed.append(other)
        for path in [\LLMLimits.maxPromptTokens, \.maxNewTokens, \.maxCompletions, \.maxStopStrings] {
            other = base; other.limits[keyPath: path] += 1; changed.append(other)
        }
        let ids = Set(([base] + changed).flatMap { identity in LLMTask.allCases.map(identity.modelID(for:)) })
        #expect(ids.count == (changed.count + 1) * LLMTask.allCases.count)
        for task in LLMTask.allCases {
            #expect(base.task(forModelID: base.modelID(for: task)) == task)
            #expect(changed.allSatisfy { base.task(forModelID: $0.modelID(for: task)) == nil })
        }
        #expect(Self.llm.identity == base)
    }

    @Test func onlyThePinnedFileLoads() {
        var other = LLMIdentity.smolLM2
        other.ggufSHA256 = Keccak256.hash([7])
        #expect(throws: LLMError.modelHashMismatch(expected: other.ggufSHA256.description, actual: LLMIdentity.smolLM2.ggufSHA256.description)) {
            try EmbeddedLLM(file: TestLLM.file, identity: other)
        }
        #expect(throws: LLMError.unreadable(path: "/nonexistent/model.gguf")) {
            try EmbeddedLLM(file: LLMModelFile(path: "/nonexistent/model.gguf"))
        }
    }

    @Test func concurrentRequestsGiveTheBytesEachGivesAlone() async throws {
        let inputs: [LLMTaskInput] = [
            .generate(prompt: "Why do leaves fall?", maxTokens: 6, stop: []),
            .score(prompt: "Is ice cold?", completions: ["yes", "no"]),
            .generate(prompt: "Say hello in French.", maxTokens: 4, stop: ["!"])
        ]
        let alone = try inputs.map { try Self.llm.run($0).abiEncoded }
        let twoThreads = try EmbeddedLLM(file: TestLLM.file, threads: 2)
        let together = try await withThrowingTaskGroup(of: (Int, [UInt8]).self) { group in
            for (index, input) in inputs.enumerated() {
                group.addTask { (index, try Self.llm.run(input).abiEncoded) }
                group.addTask { (index, try twoThreads.run(input).abiEncoded) }
            }
            var outputs: [Int: [[UInt8]]] = [:]
            for try await (index, bytes) in group { outputs[index, default: []].append(bytes) }
            return outputs
        }
        for (index, bytes) in alone.enumerated() {
            #expect(together[index] == [bytes, bytes])
        }
    }
}
