@_spi(Adversary) import CloisterNode
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
        guard case .success(let output) = result, Self.isChosen(input, shareBps: wrongShareBps) else { return result }
        return .success(Self.falsified(output))
    }

    static func isChosen(_ input: TaskInput, shareBps: UInt16) -> Bool {
        let digest = Keccak256.hash(input.abiEncoded).bytes
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
