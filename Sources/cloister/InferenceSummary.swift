import Ethereum
import Foundation
import Inference

/// What `cloister infer`, `request` and `result` print: the model id, the output bytes' keccak256 and
/// the decoded result, for a MiniLM task or an LLM task.
struct InferenceSummary {
    enum Result {
        /// For embed, `embeddingDigest` is keccak256 of the float64 embedding bits (finer than the int8 output).
        case engine(input: TaskInput, output: TaskOutput, embeddingDigest: Bytes32?)
        case llm(input: LLMTaskInput, output: LLMTaskOutput)
    }

    let modelID: Bytes32
    let result: Result

    private var taskName: String {
        switch result {
        case .engine(_, let output, _): output.task.rawValue
        case .llm(let input, _): input.task.rawValue
        }
    }

    private var outputBytes: [UInt8] {
        switch result {
        case .engine(_, let output, _): output.abiEncoded
        case .llm(_, let output): output.abiEncoded
        }
    }

    func text() -> String {
        var lines = ["task: \(taskName)", "model_id: \(modelID)", "output_hash: \(Keccak256.hash(outputBytes))"]
        switch result {
        case .engine(_, .embedding(let vector), let digest):
            lines.append("vector (int8, scale 256): \(vector.map(String.init).joined(separator: " "))")
            if let digest { lines.append("embedding_keccak: \(digest)") }
        case .engine(_, .similarity(let score), _):
            lines.append("similarity: \(score) (cosine \(Double(score) / 1e6))")
        case .engine(.classify(_, let labels), .classification(let best, let scores), _):
            lines.append("best: \(best) (\(labels[best]))")
            for (label, score) in zip(labels, scores) { lines.append("  \(label): \(score)") }
        case .engine:
            break
        case .llm(_, .generation(let text, let tokens, let finished)):
            lines.append("tokens: \(tokens)" + (finished ? "" : " (cut at the token cap)"))
            lines.append("text: \(text)")
        case .llm(let input, .scores(let best, let scores)):
            if case .score(_, let completions) = input, completions.indices.contains(best) {
                lines.append("best: \(best) (\(completions[best]))")
                for (completion, score) in zip(completions, scores) { lines.append("  \(completion): \(score) (log-probability \(Double(score) / 1e6))") }
            }
        }
        return lines.joined(separator: "\n")
    }

    func jsonText() throws -> String {
        let data = try JSONSerialization.data(withJSONObject: jsonObject(), options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// The fields of the JSON form, for commands that add their own.
    func jsonObject() -> [String: Any] {
        var object: [String: Any] = [
            "task": taskName,
            "model_id": modelID.description,
            "output_hash": Keccak256.hash(outputBytes).description,
            "output": Hex.encode(outputBytes)
        ]
        switch result {
        case .engine(_, .embedding(let vector), let digest):
            object["vector"] = vector.map(Int.init)
            object["embedding_keccak"] = digest?.description
        case .engine(_, .similarity(let score), _):
            object["score"] = score
        case .engine(let input, .classification(let best, let scores), _):
            object["best"] = best
            object["scores"] = scores
            if case .classify(_, let labels) = input { object["label"] = labels[best] }
        case .llm(_, .generation(let text, let tokens, let finished)):
            object["text"] = text
            object["tokens"] = tokens
            object["finished"] = finished
        case .llm(let input, .scores(let best, let scores)):
            object["best"] = best
            object["scores"] = scores
            if case .score(_, let completions) = input, completions.indices.contains(best) { object["completion"] = completions[best] }
        }
        return object
    }
}
