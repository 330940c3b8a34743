import CloisterNode
import Ethereum
import Inference

/// The engine, lying: for a chosen share of task inputs it returns an output that is valid in form but
/// wrong (one value off by one). The choice depends only on the input, so a test can predict it:
/// wrong when `uint16(keccak256(abi-encoded input)[0..2]) mod 10000 < wrongShareBps`.
struct CheatingRunner: TaskRunner {
    let honest: any TaskRunner
    let wrongShareBps: UInt16

    var identity: ModelIdentity { honest.identity }

    func run(_ input: TaskInput) async -> Result<TaskOutput, InferenceError> {
        let result = await honest.run(input)
        guard case .success(let output) = result, Self.isChosen(input.abiEncoded, shareBps: wrongShareBps) else { return result }
        return .success(Self.falsified(output))
    }

    static func isChosen(_ input: [UInt8], shareBps: UInt16) -> Bool {
        let digest = Keccak256.hash(input).bytes
        return (UInt16(digest[0]) << 8 | UInt16(digest[1])) % 10_000 < shareBps
    }

    static func falsified(_ output: TaskOutput) -> TaskOutput {
        switch output {
        case .embedding(var values):
            values[values.count - 1] = values[values.count - 1] == 127 ? 126 : values[values.count - 1] + 1
            return .embedding(values)
        case .similarity(let value):
            return .similarity(value + 1)
        case .classification(let best, var scores):
            scores[0] += 1
            return .classification(best: best, scores: scores)
        }
    }
}

/// The embedded LLM, lying the same way: for the chosen share of inputs (the same rule on the LLM task's
/// abi-encoded input) the answer gets one character more, or the first completion's score one more.
struct CheatingLLMRunner: LLMTaskRunner {
    let honest: any LLMTaskRunner
    let wrongShareBps: UInt16

    var identity: LLMIdentity { honest.identity }

    func run(_ input: LLMTaskInput) async -> Result<LLMTaskOutput, LLMError> {
        let result = await honest.run(input)
        guard case .success(let output) = result, CheatingRunner.isChosen(input.abiEncoded, shareBps: wrongShareBps) else { return result }
        switch output {
        case .generation(let text, let tokens, let finished):
            return .success(.generation(text: text + ".", tokens: tokens, finished: finished))
        case .scores(let best, var scores):
            scores[0] += 1
            return .success(.scores(best: best, scores: scores))
        }
    }
}
