/// Why the LLM engine refused a request. Messages never quote the input text.
package enum LLMError: Error, Equatable, Sendable, CustomStringConvertible {
    case model(GGUFError)
    case unreadable(path: String)
    case emptyPrompt
    case promptTooLong(tokens: Int, limit: Int)
    case invalidMaxTokens(Int, limit: Int)
    case emptyCompletion(index: Int)
    case tooManyCompletions(Int, limit: Int)
    case noCompletions
    case tooManyStopStrings(Int, limit: Int)
    case malformedInput(String)
    case modelHashMismatch(expected: String, actual: String)

    package var description: String {
        switch self {
        case .model(let error): error.description
        case .unreadable(let path): "cannot read model file \(path)"
        case .emptyPrompt: "the prompt is empty"
        case .promptTooLong(let tokens, let limit): "the prompt has \(tokens) tokens, more than the limit of \(limit)"
        case .invalidMaxTokens(let count, let limit): "max tokens \(count) is not within 1…\(limit)"
        case .emptyCompletion(let index): "completion \(index) is empty"
        case .tooManyCompletions(let count, let limit): "\(count) completions, more than the limit of \(limit)"
        case .noCompletions: "no completions to score"
        case .tooManyStopStrings(let count, let limit): "\(count) stop strings, more than the limit of \(limit)"
        case .malformedInput(let reason): "malformed input: \(reason)"
        case .modelHashMismatch(let expected, let actual): "the GGUF file's SHA-256 is \(actual), not the pinned \(expected): another file than the model's"
        }
    }
}

/// Limits on one LLM request.
package struct LLMLimits: Sendable, Equatable {
    package var maxPromptTokens = 1024
    package var maxNewTokens = 256
    package var maxCompletions = 16
    package var maxStopStrings = 8

    package init() {}
}

/// The result of `generate`.
package struct Generation: Sendable, Equatable {
    /// The generated token ids, without a final end-of-turn token and cut at a stop string.
    package var tokens: [Int]
    /// The UTF-8 bytes of the answer (stop string excluded).
    package var bytes: [UInt8]
    package enum StopReason: String, Sendable { case endOfTurn, stopString, maxTokens }
    package var stopReason: StopReason

    package var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// The embedded LLM engine: a GGUF Llama model (SmolLM2-135M-Instruct), its byte-level BPE
/// tokenizer and ChatML template, greedy generation and completion scoring. Deterministic: the
/// same request gives the same bits on any thread count and build.
package struct LlamaEngine: Sendable {
    package let configuration: LlamaConfiguration
    package let tokenizer: ByteLevelBPETokenizer
    package let template: ChatTemplate
    package let limits: LLMLimits
    let model: LlamaModel
    let runner: ParallelRunner
    /// Tokens that end the assistant's turn: end-of-sequence and the template's end marker.
    let endOfTurn: Set<Int>

    package init(path: String, threads: Int = 1, limits: LLMLimits = LLMLimits()) throws(LLMError) {
        let file: ModelBytes
        do { file = try ModelBytes(path: path) } catch { throw .unreadable(path: path) }
        try self.init(bytes: file.bytes, threads: threads, limits: limits)
    }

    /// Reads a GGUF image; every tensor is copied out of `bytes`, which need not outlive the engine.
    package init(bytes: UnsafeRawBufferPointer, threads: Int = 1, limits: LLMLimits = LLMLimits()) throws(LLMError) {
        do throws(GGUFError) {
            let gguf = try GGUFFile(bytes: bytes)
            configuration = try LlamaConfiguration(gguf: gguf)
            tokenizer = try ByteLevelBPETokenizer(gguf: gguf)
            guard tokenizer.tokens.count == configuration.vocabulary else {
                throw GGUFError.unsupportedModel("\(tokenizer.tokens.count) tokens for a vocabulary of \(configuration.vocabulary)")
            }
            template = try ChatTemplate(template: try gguf.string("tokenizer.chat_template"), tokenizer: tokenizer)
            model = LlamaModel(configuration: configuration, weights: try LlamaWeights(gguf: gguf, configuration: configuration))
        } catch {
            throw .model(error)
        }
        endOfTurn = [tokenizer.endOfSequence, template.end]
        runner = ParallelRunner(threads: threads)
        self.limits = limits
    }

    /// The chat prompt's tokens for one user message.
    package func promptTokens(_ user: String) -> [Int] {
        template.prompt(user: user, tokenizer: tokenizer)
    }

    /// Greedy decoding (the lowest id wins a tie) of the assistant's answer to `prompt`, for at most
    /// `maxTokens` tokens, ending early at an end-of-turn token or when the text contains a stop string.
    package func generate(prompt: String, maxTokens: Int, stop: [String] = []) throws(LLMError) -> Generation {
        guard !prompt.isEmpty else { throw .emptyPrompt }
        return try generate(tokens: promptTokens(prompt), maxTokens: maxTokens, stop: stop)
    }

    /// Greedy decoding after raw prompt tokens (no template).
    package func generate(tokens prompt: [Int], maxTokens: Int, stop: [String] = []) throws(LLMError) -> Generation {
        guard !prompt.isEmpty else { throw .emptyPrompt }
        guard prompt.count <= limits.maxPromptTokens else { throw .promptTooLong(tokens: prompt.count, limit: limits.maxPromptTokens) }
        guard (1...limits.maxNewTokens).contains(maxTokens) else { throw .invalidMaxTokens(maxTokens, limit: limits.maxNewTokens) }
        let stopBytes = stop.filter { !$0.isEmpty }.map { Array($0.utf8) }
        var cache = model.emptyCache(capacity: prompt.count + maxTokens)
        var logits = model.forward(prompt, cache: &cache, allLogits: false, runner: runner)[0]
        var generated: [Int] = []
        var bytes: [UInt8] = []
        while true {
            let next = Self.argmax(logits)
            if endOfTurn.contains(next) { return Generation(tokens: generated, bytes: bytes, stopReason: .endOfTurn) }
            generated.append(next)
            bytes += tokenizer.decode([next])
            if let cut = stopBytes.compactMap({ Self.firstIndex(of: $0, in: bytes) }).min() {
                return Generation(tokens: generated, bytes: Array(bytes[..<cut]), stopReason: .stopString)
            }
            if generated.count == maxTokens { return Generation(tokens: generated, bytes: bytes, stopReason: .maxTokens) }
            logits = model.forward([next], cache: &cache, allLogits: false, runner: runner)[0]
        }
    }

    /// The log-probability (natural log, summed over its tokens) of each completion as the
    /// assistant's answer to `prompt`. The prompt is run once; each completion continues from it.
    package func score(prompt: String, completions: [String]) throws(LLMError) -> [Double] {
        guard !prompt.isEmpty else { throw .emptyPrompt }
        guard completions.count <= limits.maxCompletions else { throw .tooManyCompletions(completions.count, limit: limits.maxCompletions) }
        var encoded: [[Int]] = []
        for (index, completion) in completions.enumerated() {
            let tokens = tokenizer.encode(completion)
            guard !tokens.isEmpty else { throw .emptyCompletion(index: index) }
            encoded.append(tokens)
        }
        return try score(tokens: promptTokens(prompt), completions: encoded)
    }

    /// `score` on raw tokens.
    package func score(tokens prompt: [Int], completions: [[Int]]) throws(LLMError) -> [Double] {
        guard !prompt.isEmpty else { throw .emptyPrompt }
        let longest = completions.map(\.count).max() ?? 0
        guard prompt.count + longest <= limits.maxPromptTokens + limits.maxNewTokens else {
            throw .promptTooLong(tokens: prompt.count + longest, limit: limits.maxPromptTokens + limits.maxNewTokens)
        }
        var promptCache = model.emptyCache(capacity: prompt.count + longest)
        let first = model.forward(prompt, cache: &promptCache, allLogits: false, runner: runner)[0]
        return completions.map { completion in
            var cache = promptCache
            var rows = [first]
            if completion.count > 1 {
                rows += model.forward(Array(completion.dropLast()), cache: &cache, allLogits: true, runner: runner)
            }
            var total = 0.0
            for (row, token) in zip(rows, completion) { total += Self.logProbability(of: token, in: row) }
            return total
        }
    }

    /// Next-token logits after `tokens` (for accuracy checks against other implementations).
    package func logits(after tokens: [Int]) -> [Float] {
        var cache = model.emptyCache(capacity: tokens.count)
        return model.forward(tokens, cache: &cache, allLogits: false, runner: runner)[0]
    }

    static func argmax(_ values: [Float]) -> Int {
        var best = 0
        for index in values.indices where values[index] > values[best] { best = index }
        return best
    }

    /// log softmax(row)[token], in double precision with a fixed summation order.
    static func logProbability(of token: Int, in row: [Float]) -> Double {
        let maximum = Double(row.max() ?? 0)
        var sum = 0.0
        for value in row { sum += PortableMath.exp(Double(value) - maximum) }
        return Double(row[token]) - maximum - PortableMath.log(sum)
    }

    static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return nil
    }
}
