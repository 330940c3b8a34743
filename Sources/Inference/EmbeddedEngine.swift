import Ethereum

/// Cloister's embedded inference engine: all-MiniLM-L6-v2 in Swift, bit-exact across runs,
/// thread counts, batch composition and builds (see docs/determinism.md).
public final class EmbeddedEngine: Sendable {
    public let tokenizer: BertTokenizer
    public let identity: ModelIdentity
    public let limits: TaskLimits
    let encoder: BertEncoder
    let runner: ParallelRunner

    /// Memory-maps the model's files, checks their SHA-256 against `identity` (refusing any
    /// other weights or vocabulary), and prepares the weights.
    public convenience init(
        files: ModelFiles, identity: ModelIdentity = .allMiniLML6V2, threads: Int = 1,
        limits: TaskLimits = TaskLimits()
    ) throws(InferenceError) {
        let vocabulary = try ModelBytes(path: files.vocabulary)  // the vocabulary first: its error names the folder's first file
        try self.init(weights: try ModelBytes(path: files.weights), vocabulary: vocabulary, identity: identity, threads: threads, limits: limits)
    }

    /// The engine over weights decrypted inside the enclave (a sealed model): `weights` is taken over
    /// (wiped here, and its copy wiped when the engine is released) and must hash to
    /// `identity.weightsSHA256`; the vocabulary is public and read from `files`.
    package convenience init(
        decryptedWeights weights: inout [UInt8], label: String, files: ModelFiles, identity: ModelIdentity, threads: Int = 1,
        limits: TaskLimits = TaskLimits()
    ) throws(InferenceError) {
        let owned = try ModelBytes(takingOver: &weights, label: label)
        try self.init(weights: owned, vocabulary: try ModelBytes(path: files.vocabulary), identity: identity, threads: threads, limits: limits)
    }

    private init(weights weightsFile: ModelBytes, vocabulary vocabularyFile: ModelBytes, identity: ModelIdentity, threads: Int, limits: TaskLimits)
        throws(InferenceError)
    {
        let vocabularyHash = FileDigest.sha256(vocabularyFile)
        guard vocabularyHash == identity.vocabularySHA256 else {
            throw .tokenizerHashMismatch(expected: identity.vocabularySHA256.description, actual: vocabularyHash.description)
        }
        let weightsHash = FileDigest.sha256(weightsFile)
        guard weightsHash == identity.weightsSHA256 else {
            throw .weightsHashMismatch(expected: identity.weightsSHA256.description, actual: weightsHash.description)
        }
        tokenizer = BertTokenizer(vocabulary: try Vocabulary(vocabTxt: vocabularyFile.bytes))
        encoder = BertEncoder(weights: try BertWeights(tensors: try SafeTensors(file: weightsFile)))
        runner = ParallelRunner(threads: threads)
        self.identity = identity
        self.limits = limits
    }

    /// The model id of `task` on this engine.
    public func modelID(for task: InferenceTask) -> Bytes32 {
        identity.modelID(for: task)
    }

    /// Runs one task.
    public func run(_ input: TaskInput) throws(InferenceError) -> TaskOutput {
        try limits.validate(input)
        let sequences = input.texts.map(tokenizer.encode)
        guard sequences.allSatisfy({ $0.count > 2 }) else { throw .emptyInput }
        let vectors = encoder.embed(sequences, runner: runner)
        switch input {
        case .embed:
            return .embedding(OutputScales.quantize(vectors[0]))
        case .similarity:
            return .similarity(OutputScales.score(vectors[0], vectors[1]))
        case .classify:
            let scores = vectors.dropFirst().map { OutputScales.score(vectors[0], $0) }
            var best = 0
            for index in scores.indices where scores[index] > scores[best] { best = index }
            return .classification(best: best, scores: scores)
        }
    }

    /// Unit-length sentence embeddings (double precision), one per text, computed as one batch.
    public func embeddings(_ texts: [String]) -> [[Double]] {
        encoder.embed(texts.map(tokenizer.encode), runner: runner)
    }
}
