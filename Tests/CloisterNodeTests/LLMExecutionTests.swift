import CloisterClient
import Enclave
import Ethereum
import Inference
import Oracle
import Secp256k1
import Testing
@testable import CloisterNode

/// The executor serving the embedded LLM: the same bytes as the engine, committed and signed like any
/// result, confidential requests opened inside, and every request it cannot serve an error result.
@Suite struct LLMExecutionTests {
    let generate = NodeTestSupport.llm.modelID(for: .generate)
    let score = NodeTestSupport.llm.modelID(for: .score)

    @Test func generateAndScoreRequestsPostTheEnginesOutput() async throws {
        let executor = await NodeTestSupport.executor(try NodeTestSupport.keyring(), llm: LLMWorker(llm: NodeTestSupport.llm))
        let inputs: [(Bytes32, LLMTaskInput)] = [
            (generate, .generate(prompt: "Name a colour.", maxTokens: 6, stop: [])),
            (score, .score(prompt: "Answer yes or no: is fire cold?", completions: ["yes", "no"]))
        ]
        for (model, input) in inputs {
            let job = NodeTestSupport.job(model: model, input: input.abiEncoded)
            let signed = try await executor.execute(job)
            let expected = try NodeTestSupport.llm.run(input).abiEncoded
            #expect(signed.result.errorCode == 0)
            #expect(signed.result.output == expected)
            #expect(signed.result.commitment == Keccak256.hash(job.key.requestID.bytes + [0] + expected))
            #expect(try LLMTaskOutput(task: input.task, abiEncoded: signed.result.output) == (try NodeTestSupport.llm.run(input)))
        }
    }

    @Test func aConfidentialPromptIsAnsweredEncryptedToTheRequester() async throws {
        let keyring = try NodeTestSupport.keyring()
        let executor = await NodeTestSupport.executor(keyring, llm: LLMWorker(llm: NodeTestSupport.llm))
        let requesterKey = PrivateKey()
        let context = EnvelopeContext(
            chainID: NodeTestSupport.chainID, contract: NodeTestSupport.contract,
            requester: NodeTestSupport.requester, outputKey: requesterKey.publicKey)
        let input = LLMTaskInput.generate(prompt: "My secret plan is to buy tulips. Say one word.", maxTokens: 4, stop: [])
        let sealed = try EnvelopeSealer(context: context).seal(input.abiEncoded, for: [await keyring.publicKey])
        let job = NodeTestSupport.job(model: generate, input: sealed.envelope.bytes, recipients: [1], outputKey: requesterKey.publicKey.compressed)
        let signed = try await executor.execute(job)
        #expect(signed.result.errorCode == 0)
        let plaintext = try EncryptedOutput(bytes: signed.result.output)
            .open(
                with: requesterKey,
                expecting: OutputContext(
                    chainID: NodeTestSupport.chainID, contract: NodeTestSupport.contract,
                    requestID: job.key.requestID))
        #expect(plaintext == (try NodeTestSupport.llm.run(input).abiEncoded))
        #expect(!signed.result.output.contains(subsequence: Array("tulips".utf8)))
    }

    @Test func requestsTheLLMCannotServeBecomeErrorResults() async throws {
        let executor = await NodeTestSupport.executor(try NodeTestSupport.keyring(), llm: LLMWorker(llm: NodeTestSupport.llm))
        let longPrompt = String(repeating: "seven ", count: 1_500)
        let cases: [(Bytes32, [UInt8], UInt16)] = [
            (generate, [1, 2, 3], 1),  // not abi.encode(string, uint256, string[])
            (generate, LLMTaskInput.score(prompt: "p", completions: ["a"]).abiEncoded, 1),  // another task's input
            (generate, LLMTaskInput.generate(prompt: "", maxTokens: 4, stop: []).abiEncoded, 1),
            (generate, LLMTaskInput.generate(prompt: "hi", maxTokens: 0, stop: []).abiEncoded, 1),
            (generate, LLMTaskInput.generate(prompt: "hi", maxTokens: 257, stop: []).abiEncoded, 1),
            (generate, ABI.encode([.string("hi"), .uint(UInt256.max), .array([])]), 1),
            (generate, LLMTaskInput.generate(prompt: "hi", maxTokens: 4, stop: Array(repeating: "x", count: 9)).abiEncoded, 1),
            (generate, LLMTaskInput.generate(prompt: longPrompt, maxTokens: 4, stop: []).abiEncoded, 2),
            (score, LLMTaskInput.score(prompt: "p", completions: []).abiEncoded, 1),
            (score, LLMTaskInput.score(prompt: "p", completions: ["a", ""]).abiEncoded, 1),
            (score, LLMTaskInput.score(prompt: "p", completions: Array(repeating: "a", count: 17)).abiEncoded, 1)
        ]
        for (model, input, code) in cases {
            let signed = try await executor.execute(NodeTestSupport.job(model: model, input: input))
            #expect(signed.result.errorCode == code, "\(String(decoding: signed.result.output, as: UTF8.self))")
            #expect(!String(decoding: signed.result.output, as: UTF8.self).contains("seven"), "messages never quote the prompt")
        }
    }

    @Test func aNodeWithoutTheLLMAnswersUnsupportedModel() async throws {
        let executor = await NodeTestSupport.executor(try NodeTestSupport.keyring())
        let signed = try await executor.execute(NodeTestSupport.job(model: generate, input: LLMTaskInput.generate(prompt: "hi", maxTokens: 2, stop: []).abiEncoded))
        #expect(signed.result.errorCode == 5)
    }
}
