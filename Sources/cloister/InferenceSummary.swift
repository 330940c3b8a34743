import Ethereum
import Foundation
import Inference

/// What `cloister infer` prints: the model id, the output bytes' keccak256 and the decoded result.
struct InferenceSummary {
    let modelID: Bytes32
    let input: TaskInput
    let output: TaskOutput
    /// For embed: keccak256 of the float64 embedding bits (finer than the int8 output).
    let embeddingDigest: Bytes32?

    func text() -> String {
        var lines = ["task: \(output.task.rawValue)", "model_id: \(modelID)", "output_hash: \(output.hash)"]
        switch output {
        case .embedding(let vector):
            lines.append("vector (int8, scale 256): \(vector.map(String.init).joined(separator: " "))")
            if let embeddingDigest { lines.append("embedding_keccak: \(embeddingDigest)") }
        case .similarity(let score):
            lines.append("similarity: \(score) (cosine \(Double(score) / 1e6))")
        case .classification(let best, let scores):
            if case .classify(_, let labels) = input {
                lines.append("best: \(best) (\(labels[best]))")
                for (label, score) in zip(labels, scores) { lines.append("  \(label): \(score)") }
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
            "task": output.task.rawValue,
            "model_id": modelID.description,
            "output_hash": output.hash.description,
            "output": Hex.encode(output.abiEncoded),
        ]
        switch output {
        case .embedding(let vector):
            object["vector"] = vector.map(Int.init)
            object["embedding_keccak"] = embeddingDigest?.description
        case .similarity(let score):
            object["score"] = score
        case .classification(let best, let scores):
            object["best"] = best
            object["scores"] = scores
            if case .classify(_, let labels) = input { object["label"] = labels[best] }
        }
        return object
    }
}
