/// A WordPiece vocabulary read from `vocab.txt` (one token per line; the line number is the id),
/// keyed by the tokens' exact UTF-8 bytes.
struct Vocabulary: Sendable {
    private let ids: [[UInt8]: Int32]
    let unknownID: Int32
    let classifierID: Int32
    let separatorID: Int32
    /// Special tokens matched verbatim in raw text before normalisation, as the reference does.
    let specialTokens: [(scalars: [Unicode.Scalar], id: Int32)]

    private static let specialTokenNames = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

    init(vocabTxt bytes: some Collection<UInt8>) throws(InferenceError) {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        var ids: [[UInt8]: Int32] = [:]
        for (index, line) in lines.enumerated() {
            var token = Array(line)
            if token.last == UInt8(ascii: "\r") { token.removeLast() }
            guard !token.isEmpty, ids[token] == nil else {
                throw .invalidTokenizer("vocab.txt line \(index + 1) is empty or repeats a token")
            }
            ids[token] = Int32(index)
        }
        func required(_ name: String) throws(InferenceError) -> Int32 {
            guard let id = ids[Array(name.utf8)] else { throw .invalidTokenizer("vocab.txt lacks \(name)") }
            return id
        }
        self.ids = ids
        unknownID = try required("[UNK]")
        classifierID = try required("[CLS]")
        separatorID = try required("[SEP]")
        var specials: [(scalars: [Unicode.Scalar], id: Int32)] = []
        for name in Self.specialTokenNames {
            specials.append((Array(name.unicodeScalars), try required(name)))
        }
        specialTokens = specials
    }

    var count: Int { ids.count }

    func id(ofUTF8 token: [UInt8]) -> Int32? { ids[token] }
}
