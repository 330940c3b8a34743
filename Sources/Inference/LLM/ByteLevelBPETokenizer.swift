/// GPT-2 style byte-level BPE built from a GGUF file's `tokenizer.ggml.*` metadata: the text is
/// split into words by the pre-tokenizer that `tokenizer.ggml.pre` names (as llama.cpp splits
/// it), each word's UTF-8 bytes are mapped to GPT-2's printable code points, and merges are
/// applied lowest rank first (leftmost among equals). Plain text never produces control tokens:
/// `<|im_end|>` typed by a user is six ordinary tokens, not the end of a turn.
package struct ByteLevelBPETokenizer: Sendable {
    /// How words are found before merging, per `tokenizer.ggml.pre`.
    package enum PreTokenizer: String, Sendable {
        /// GPT-2's expression.
        case gpt2
        /// Every number code point on its own, then GPT-2's expression (SmolLM, StarCoder).
        case digitsThenGPT2

        init(ggmlName: String) throws(GGUFError) {
            switch ggmlName {
            case "gpt2", "default": self = .gpt2
            case "smollm", "starcoder", "refact", "codeshell": self = .digitsThenGPT2
            default: throw .unsupportedModel("pre-tokenizer '\(ggmlName)'")
            }
        }
    }

    package let tokens: [String]
    /// GGUF token types: 1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte.
    package let tokenTypes: [Int]
    package let preTokenizer: PreTokenizer
    package let beginOfSequence: Int?
    package let endOfSequence: Int
    private let ids: [String: Int]
    private let ranks: [String: Int]
    private let byteScalars: [Unicode.Scalar]
    private let scalarBytes: [UInt32: UInt8]

    init(gguf: GGUFFile) throws(GGUFError) {
        let model = try gguf.string("tokenizer.ggml.model")
        guard model == "gpt2" else { throw .unsupportedModel("tokenizer model '\(model)' (only byte-level BPE, 'gpt2')") }
        preTokenizer = try PreTokenizer(ggmlName: try gguf.string("tokenizer.ggml.pre"))
        tokens = try gguf.strings("tokenizer.ggml.tokens")
        tokenTypes = try gguf.integers("tokenizer.ggml.token_type")
        guard tokenTypes.count == tokens.count, !tokens.isEmpty else {
            throw .unsupportedModel("\(tokenTypes.count) token types for \(tokens.count) tokens")
        }
        var ids: [String: Int] = [:]
        for (id, token) in tokens.enumerated() where ids[token] == nil { ids[token] = id }
        self.ids = ids
        var ranks: [String: Int] = [:]
        for (rank, merge) in try gguf.strings("tokenizer.ggml.merges").enumerated() {
            guard merge.split(separator: " ", omittingEmptySubsequences: false).count == 2 else {
                throw .unsupportedModel("merge \(rank) is not two symbols")
            }
            if ranks[merge] == nil { ranks[merge] = rank }
        }
        self.ranks = ranks
        endOfSequence = try gguf.integer("tokenizer.ggml.eos_token_id")
        beginOfSequence = gguf.metadata["tokenizer.ggml.bos_token_id"]?.integer
        guard tokens.indices.contains(endOfSequence) else { throw .unsupportedModel("end-of-sequence id out of range") }
        // GPT-2's byte map: printable Latin-1 bytes stand for themselves, the others for 256 + n.
        var byteScalars = [Unicode.Scalar](repeating: " ", count: 256)
        var scalarBytes: [UInt32: UInt8] = [:]
        var next: UInt32 = 256
        for byte in 0..<256 {
            let printable = (33...126).contains(byte) || (161...172).contains(byte) || (174...255).contains(byte)
            let scalar = Unicode.Scalar(printable ? UInt32(byte) : next)!
            if !printable { next += 1 }
            byteScalars[byte] = scalar
            scalarBytes[scalar.value] = UInt8(byte)
        }
        self.byteScalars = byteScalars
        self.scalarBytes = scalarBytes
    }

    /// The id of a token given by its exact text (for the chat template's control tokens).
    package func id(of token: String) -> Int? { ids[token] }

    package func isControl(_ id: Int) -> Bool { tokenTypes.indices.contains(id) && tokenTypes[id] == 3 }

    /// Token ids of plain text (no special-token parsing).
    package func encode(_ text: String) -> [Int] {
        var result: [Int] = []
        for word in words(text) {
            encodeWord(word, into: &result)
        }
        return result
    }

    /// The bytes that `ids` stand for; control tokens stand for nothing.
    package func decode(_ ids: [Int]) -> [UInt8] {
        var bytes: [UInt8] = []
        for id in ids where tokens.indices.contains(id) && !isControl(id) {
            for scalar in tokens[id].unicodeScalars {
                if let byte = scalarBytes[scalar.value] {
                    bytes.append(byte)
                } else {
                    bytes.append(contentsOf: Array(String(scalar).utf8))
                }
            }
        }
        return bytes
    }

    // MARK: pre-tokenizer

    /// The words of `text`, each as its code points.
    func words(_ text: String) -> [ArraySlice<Unicode.Scalar>] {
        let scalars = Array(text.unicodeScalars)
        var pieces: [Range<Int>] = []
        switch preTokenizer {
        case .gpt2:
            pieces = [0..<scalars.count]
        case .digitsThenGPT2:
            var start = 0
            for index in scalars.indices where CodePointClass(scalars[index]).isNumber {
                if start < index { pieces.append(start..<index) }
                pieces.append(index..<(index + 1))
                start = index + 1
            }
            if start < scalars.count { pieces.append(start..<scalars.count) }
        }
        var words: [ArraySlice<Unicode.Scalar>] = []
        for piece in pieces {
            for range in Self.gpt2Split(scalars, piece) { words.append(scalars[range]) }
        }
        return words
    }

    /// GPT-2's `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+` within
    /// `piece` (code points outside it are not seen).
    static func gpt2Split(_ scalars: [Unicode.Scalar], _ piece: Range<Int>) -> [Range<Int>] {
        func kind(_ index: Int) -> CodePointClass? {
            piece.contains(index) ? CodePointClass(scalars[index]) : nil
        }
        var result: [Range<Int>] = []
        var start = piece.lowerBound
        var position = piece.lowerBound
        func emit(_ end: Int) {
            result.append(start..<end)
            start = end
            position = end
        }
        while position < piece.upperBound {
            let scalar = scalars[position]
            if scalar == "'", position + 1 < piece.upperBound {
                let next = scalars[position + 1]
                if next == "s" || next == "t" || next == "m" || next == "d" {
                    emit(position + 2)
                    continue
                }
                if position + 2 < piece.upperBound {
                    let after = scalars[position + 2]
                    if (next == "r" && after == "e") || (next == "v" && after == "e") || (next == "l" && after == "l") {
                        emit(position + 3)
                        continue
                    }
                }
            }
            let leadingSpace = scalar == " "
            let first = leadingSpace ? kind(position + 1) : kind(position)
            if let first, first.isLetter || first.isNumber || first.isOther {
                var end = position + (leadingSpace ? 1 : 0)
                while let current = kind(end), current.sameRun(as: first) { end += 1 }
                emit(end)
                continue
            }
            var whitespace = 0
            while let current = kind(position + whitespace), current.isWhitespace { whitespace += 1 }
            if whitespace > 1, position + whitespace < piece.upperBound {
                emit(position + whitespace - 1)  // \s+(?!\S): leave the last space to the next word
                continue
            }
            if whitespace > 0 {
                emit(position + whitespace)
                continue
            }
            emit(position + 1)
        }
        return result
    }

    // MARK: merges

    private func encodeWord(_ word: ArraySlice<Unicode.Scalar>, into result: inout [Int]) {
        var symbols: [String] = []
        for byte in String(String.UnicodeScalarView(word)).utf8 {
            symbols.append(String(byteScalars[Int(byte)]))
        }
        while symbols.count > 1 {
            var best: (rank: Int, index: Int)?
            for index in 0..<(symbols.count - 1) {
                if let rank = ranks[symbols[index] + " " + symbols[index + 1]], rank < (best?.rank ?? .max) {
                    best = (rank, index)
                }
            }
            guard let best else { break }
            symbols[best.index] += symbols[best.index + 1]
            symbols.remove(at: best.index + 1)
        }
        for symbol in symbols {
            if let id = ids[symbol] {
                result.append(id)
            } else {
                // No such token: each byte's own token, where the vocabulary has one.
                for scalar in symbol.unicodeScalars {
                    if let id = ids[String(scalar)] { result.append(id) }
                }
            }
        }
    }
}

/// The Unicode classes GPT-2's expression distinguishes.
struct CodePointClass {
    let isLetter: Bool
    let isNumber: Bool
    let isWhitespace: Bool

    init(_ scalar: Unicode.Scalar) {
        isWhitespace = scalar.properties.isWhitespace
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            isLetter = true
            isNumber = false
        case .decimalNumber, .letterNumber, .otherNumber:
            isLetter = false
            isNumber = true
        default:
            isLetter = false
            isNumber = false
        }
    }

    /// `[^\s\p{L}\p{N}]`.
    var isOther: Bool { !isLetter && !isNumber && !isWhitespace }

    func sameRun(as first: CodePointClass) -> Bool {
        if first.isLetter { return isLetter }
        if first.isNumber { return isNumber }
        return isOther
    }
}
