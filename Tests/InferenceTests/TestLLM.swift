import Foundation
@testable import Inference

/// The LLM installed by set-up (SmolLM2-135M-Instruct, Q4_1 GGUF), one engine per thread count, and
/// llama.cpp's answers written by scripts/generate_llm_fixtures.py.
enum TestLLM {
    static let file = LLMModelFile.located(
        environment: ProcessInfo.processInfo.environment,
        projectRoot: TestModel.projectRoot)
    static let engine = load(threads: 1)
    static let twoThreads = load(threads: 2)

    static func load(threads: Int) -> LlamaEngine {
        do { return try LlamaEngine(path: file.path, threads: threads) } catch { fatalError("cannot load the LLM: \(error)") }
    }

    static func fileBytes() throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: file.path)))
    }

    struct Reference: Decodable {
        struct TokenizerCase: Decodable { let text: String; let ids: [Int] }
        struct Prompt: Decodable {
            let user: String
            let prompt_ids: [Int]
            let greedy: [Int]
            let logit_ids: [Int]
            let logits: [Float]
        }
        let model_sha256: String
        let end_of_generation: [Int]
        let greedy_tokens: Int
        let tokenizer: [TokenizerCase]
        let prompts: [Prompt]
    }

    static let reference: Reference = {
        let url = URL(fileURLWithPath: TestModel.projectRoot + "/fixtures/llm/llamacpp.json")
        do { return try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url)) } catch {
            fatalError("cannot read fixtures/llm/llamacpp.json: \(error)")
        }
    }()
}
