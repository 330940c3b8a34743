import Ethereum

/// Canonical input bytes, as a requester's contract builds them:
/// `embed` = abi.encode(string text), `similarity` = abi.encode(string text, string other),
/// `classify` = abi.encode(string text, string[] labels).
extension TaskInput {
    static func abiTypes(for task: InferenceTask) -> [ABIType] {
        switch task {
        case .embed: [.string]
        case .similarity: [.string, .string]
        case .classify: [.string, .array(.string)]
        }
    }

    public var abiEncoded: [UInt8] {
        switch self {
        case .embed(let text): ABI.encode([.string(text)])
        case .similarity(let text, let other): ABI.encode([.string(text), .string(other)])
        case .classify(let text, let labels): ABI.encode([.string(text), .array(labels.map { .string($0) })])
        }
    }

    /// Decodes a task's canonical input bytes.
    public init(task: InferenceTask, abiEncoded bytes: [UInt8]) throws(InferenceError) {
        do {
            let values = try ABI.decode(Self.abiTypes(for: task), from: bytes)
            switch task {
            case .embed:
                self = .embed(text: try values[0].asString())
            case .similarity:
                self = .similarity(text: try values[0].asString(), other: try values[1].asString())
            case .classify:
                var labels: [String] = []
                for label in try values[1].asElements() { labels.append(try label.asString()) }
                self = .classify(text: try values[0].asString(), labels: labels)
            }
        } catch {
            throw .malformedInput("not abi.encode(\(Self.abiTypes(for: task).map(\.description).joined(separator: ","))): \(error)")
        }
    }
}
