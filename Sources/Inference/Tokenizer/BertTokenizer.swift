/// The all-MiniLM-L6-v2 tokenizer: special tokens matched verbatim, BERT normalisation and
/// pre-tokenisation, WordPiece, then `[CLS] … [SEP]` truncated to `maxTokens` ids in total.
/// Produces the same ids as Hugging Face `tokenizers` with this model's `tokenizer.json`
/// (fixtures/inference/tokenizer.json checks 1,200 strings).
public struct BertTokenizer: Sendable {
    /// The model's sequence limit (sentence-transformers' `max_seq_length`), `[CLS]` and `[SEP]` included.
    public static let maxTokens = 256

    let vocabulary: Vocabulary
    private let normalizer = BertNormalizer()
    private let preTokenizer = BertPreTokenizer()
    private let wordPiece: WordPiece

    init(vocabulary: Vocabulary) {
        self.vocabulary = vocabulary
        wordPiece = WordPiece(vocabulary: vocabulary)
    }

    /// Token ids of `text`, starting with `[CLS]` and ending with `[SEP]`; at most `maxTokens`.
    public func encode(_ text: String) -> [Int32] {
        var pieces: [Int32] = []
        for segment in segments(Array(text.unicodeScalars)) {
            switch segment {
            case .special(let id):
                pieces.append(id)
            case .text(let scalars):
                for word in preTokenizer.words(normalizer.normalize(scalars)) {
                    wordPiece.pieces(of: word, into: &pieces)
                }
            }
        }
        return [vocabulary.classifierID] + pieces.prefix(Self.maxTokens - 2) + [vocabulary.separatorID]
    }

    private enum Segment {
        case text(ArraySlice<Unicode.Scalar>)
        case special(Int32)
    }

    /// Splits raw text around verbatim occurrences of the special tokens (`[CLS]`, `[SEP]`, …).
    private func segments(_ scalars: [Unicode.Scalar]) -> [Segment] {
        var result: [Segment] = []
        var textStart = 0
        var index = 0
        while index < scalars.count {
            guard
                let special = vocabulary.specialTokens.first(where: { token in
                    scalars[index...].starts(with: token.scalars)
                })
            else {
                index += 1
                continue
            }
            if textStart < index { result.append(.text(scalars[textStart..<index])) }
            result.append(.special(special.id))
            index += special.scalars.count
            textStart = index
        }
        if textStart < scalars.count { result.append(.text(scalars[textStart...])) }
        return result
    }
}
