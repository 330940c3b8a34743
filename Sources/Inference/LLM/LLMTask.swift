import Ethereum

/// The tasks the embedded LLM serves; each has its own model id (``LLMIdentity``).
package enum LLMTask: String, Sendable, CaseIterable, Codable {
    /// A user message → the assistant's greedy answer (chat template applied), capped and cut at stop strings.
    case generate
    /// A user message and candidate answers → the log-probability of each answer, and the most likely.
    case score
}

/// What a request asks the LLM for, decoded from its canonical input bytes:
/// `generate` = abi.encode(string prompt, uint256 maxTokens, string[] stop),
/// `score` = abi.encode(string prompt, string[] completions).
package enum LLMTaskInput: Sendable, Equatable {
    case generate(prompt: String, maxTokens: Int, stop: [String])
    case score(prompt: String, completions: [String])

    package var task: LLMTask {
        switch self {
        case .generate: .generate
        case .score: .score
        }
    }

    static func abiTypes(for task: LLMTask) -> [ABIType] {
        switch task {
        case .generate: [.string, .uint(bits: 256), .array(.string)]
        case .score: [.string, .array(.string)]
        }
    }

    package var abiEncoded: [UInt8] {
        switch self {
        case .generate(let prompt, let maxTokens, let stop):
            ABI.encode([.string(prompt), .uint(UInt256(UInt64(maxTokens))), .array(stop.map { .string($0) })])
        case .score(let prompt, let completions):
            ABI.encode([.string(prompt), .array(completions.map { .string($0) })])
        }
    }

    /// Decodes a task's canonical input bytes. A `maxTokens` too large for any limit is kept as
    /// `Int.max`, so the engine refuses it with the limit in its message.
    package init(task: LLMTask, abiEncoded bytes: [UInt8]) throws(LLMError) {
        do {
            let values = try ABI.decode(Self.abiTypes(for: task), from: bytes)
            var strings: [String] = []
            for element in try values[task == .generate ? 2 : 1].asElements() { strings.append(try element.asString()) }
            switch task {
            case .generate:
                let maxTokens = try values[1].asUInt().uint64.flatMap { Int(exactly: $0) } ?? Int.max
                self = .generate(prompt: try values[0].asString(), maxTokens: maxTokens, stop: strings)
            case .score:
                self = .score(prompt: try values[0].asString(), completions: strings)
            }
        } catch {
            throw .malformedInput("not abi.encode(\(Self.abiTypes(for: task).map(\.description).joined(separator: ","))): \(error)")
        }
    }
}

/// What the LLM computed; `abiEncoded` is what the node commits to and signs:
/// `generate` = abi.encode(string text, uint256 tokens, bool finished), where `finished` is false only
/// when the answer was cut at the request's token cap; `score` = abi.encode(uint256 best, int256[] scores)
/// with `scores[i]` = round(log-probability of completion i · 10⁶), ties away from zero, and `best` the
/// first maximum.
package enum LLMTaskOutput: Sendable, Equatable {
    case generation(text: String, tokens: Int, finished: Bool)
    case scores(best: Int, scores: [Int])

    /// Scores are natural-log probabilities · 10⁶.
    static let scoreScale = 1_000_000.0

    package var abiEncoded: [UInt8] {
        switch self {
        case .generation(let text, let tokens, let finished):
            ABI.encode([.string(text), .uint(UInt256(UInt64(tokens))), .bool(finished)])
        case .scores(let best, let scores):
            ABI.encode([.uint(UInt256(UInt64(best))), .array(scores.map { .int(Int256(Int64($0))) })])
        }
    }

    /// keccak256 of `abiEncoded`.
    package var hash: Bytes32 { Keccak256.hash(abiEncoded) }

    /// Decodes a task's canonical output bytes, as a requester reads them from a result.
    package init(task: LLMTask, abiEncoded bytes: [UInt8]) throws(LLMError) {
        do {
            switch task {
            case .generate:
                let values = try ABI.decode([.string, .uint(bits: 256), .bool], from: bytes)
                guard let tokens = try values[1].asUInt().uint64.flatMap(Int.init(exactly:)) else {
                    throw LLMError.malformedInput("token count out of range")
                }
                self = .generation(text: try values[0].asString(), tokens: tokens, finished: try values[2].asBool())
            case .score:
                let values = try ABI.decode([.uint(bits: 256), .array(.int(bits: 256))], from: bytes)
                var scores: [Int] = []
                for element in try values[1].asElements() {
                    let number = try element.asInt()
                    guard let magnitude = number.magnitude.uint64, magnitude <= UInt64(Int64.max) else {
                        throw LLMError.malformedInput("score out of range")
                    }
                    scores.append(number.isNegative ? -Int(magnitude) : Int(magnitude))
                }
                guard let best = try values[0].asUInt().uint64.flatMap(Int.init(exactly:)), scores.indices.contains(best) else {
                    throw LLMError.malformedInput("best completion index out of range")
                }
                self = .scores(best: best, scores: scores)
            }
        } catch let error as LLMError {
            throw error
        } catch {
            throw .malformedInput("not the canonical \(task.rawValue) output: \(error)")
        }
    }
}

extension LlamaEngine {
    /// Runs one task within the engine's limits.
    package func run(_ input: LLMTaskInput) throws(LLMError) -> LLMTaskOutput {
        switch input {
        case .generate(let prompt, let maxTokens, let stop):
            guard stop.count <= limits.maxStopStrings else { throw .tooManyStopStrings(stop.count, limit: limits.maxStopStrings) }
            let generation = try generate(prompt: prompt, maxTokens: maxTokens, stop: stop)
            return .generation(text: generation.text, tokens: generation.tokens.count, finished: generation.stopReason != .maxTokens)
        case .score(let prompt, let completions):
            guard !completions.isEmpty else { throw .noCompletions }
            let values = try score(prompt: prompt, completions: completions)
            let scores = values.map { Int(($0 * LLMTaskOutput.scoreScale).rounded(.toNearestOrAwayFromZero)) }
            var best = 0
            for index in scores.indices where scores[index] > scores[best] { best = index }
            return .scores(best: best, scores: scores)
        }
    }
}
